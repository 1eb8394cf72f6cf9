/* queue_producer_consumer.c — the producer/consumer of seed 001 with tasks
 * and a bounded cio_queue instead of generators: the producer makes bones
 * 1..5 and waits while the queue (size 2) is full; two consumer tasks take
 * them in turn until the queue is shut down; the producer then joins the
 * queue (every bone was gnawed: task_done) and shuts it down.
 */
#include <errno.h>
#include <stdio.h>
#include <cio.h>

static cio_queue *q;

static intptr_t consumer(void *arg)
{
    const char *name = arg;
    printf("%s 要开始啃骨头了...\n", name);
    for (;;) {
        intptr_t bone = CIO_AWAIT(cio_queue_get(q, CIO_NO_TIMEOUT));
        if (bone < 0) {
            printf("%s: 没有骨头了 (%s)\n", name, bone == -ESHUTDOWN ? "queue shut down" : cio_strerror(bone));
            return 0;
        }
        printf("[%s] 正在啃骨头 %ld\n", name, (long)bone);
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
        cio_queue_task_done(q);
    }
}

static intptr_t producer(void *arg)
{
    (void)arg;
    q = cio_queue_new(CIO_QUEUE_FIFO, 2);
    cio_task *c[2] = { cio_spawn(consumer, "消费者A"), cio_spawn(consumer, "消费者B") };
    for (int n = 1; n <= 5; n++) {
        printf("[producer] 正在生产骨头 %d\n", n);
        if (CIO_AWAIT(cio_queue_put(q, n, CIO_NO_TIMEOUT)) < 0)
            return -1;
    }
    CIO_AWAIT(cio_queue_join(q, CIO_NO_TIMEOUT));
    printf("[producer] 全部啃完\n");
    cio_queue_shutdown(q, false);
    CIO_AWAIT(cio_gather(c, 2, NULL, 0));
    return cio_queue_free(q);
}

int main(void) { return cio_run(producer, NULL, NULL) != 0; }
