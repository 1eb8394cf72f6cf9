/* future/greenlet.h — what generator.c needs from greenlet.c. Internal. */
#ifndef CIO_FUTURE_GREENLET_H
#define CIO_FUTURE_GREENLET_H

#include "base/common.h"
#include "cio/generator.h"

/* Re-points `g`'s parent (NULL: the main context): where it goes when it
 * finishes, and where a generator's yield switches to. */
CIO_HIDDEN void cio__greenlet_set_parent(cio_greenlet *g, cio_greenlet *parent);

#endif
