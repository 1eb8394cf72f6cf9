/* cio.h — asyncio for C. The one header users include.
 *
 *   static intptr_t main_task(void *arg) {
 *       cio_task *t = cio_spawn(worker, arg);
 *       CIO_AWAIT(cio_sleep(CIO_MS(10)));
 *       return CIO_AWAIT(t);
 *   }
 *   int main(void) { return cio_run(main_task, NULL, NULL) < 0; }
 */
#ifndef CIO_H
#define CIO_H

#include "cio/base.h"
#include "cio/loop.h"
#include "cio/future.h"
#include "cio/task.h"
#include "cio/fs.h"
#include "cio/http.h"
#include "cio/executor.h"
#include "cio/compose.h"
#include "cio/sync.h"
#include "cio/queue.h"
#include "cio/generator.h"
#include "cio/net.h"
#include "cio/stream.h"
#include "cio/signal.h"

#endif
