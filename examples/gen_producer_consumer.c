/* gen_producer_consumer.c — seed 001's yield/send producer and consumers.
 *
 *   def consumer(name):            # a generator
 *       while True:
 *           bone = yield
 *   producer: con.send(None) to start, then con.send(n) for n in 1..5
 *
 * Each consumer is a cio_gen: cio_gen_yield hands control back to the
 * producer and returns the next value sent in. (The seed's ANSI colours are
 * left out.)
 */
#include <stdio.h>
#include <cio.h>

static intptr_t consumer(cio_gen *g, void *arg)
{
    const char *name = arg;
    printf("要开始啃骨头了...\n");
    for (;;) {
        printf("[consumer] %s\n", name);
        intptr_t bone = cio_gen_yield(g, 0);
        printf("[%s] 正在啃骨头 %ld\n", name, (long)bone);
    }
    return 0;
}

static void producer(cio_gen *obj1, cio_gen *obj2)
{
    cio_gen_send(obj1, 0, NULL); /* start: the first send must be "None" */
    cio_gen_send(obj2, 0, NULL);
    for (int n = 1; n <= 5; n++) {
        printf("[producer] 正在生产骨头 %d\n", n);
        cio_gen_send(obj1, n, NULL);
        cio_gen_send(obj2, n, NULL);
    }
}

int main(void)
{
    cio_gen *con1 = cio_gen_new(consumer, "消费者A", 0);
    cio_gen *con2 = cio_gen_new(consumer, "消费者B", 0);
    if (!con1 || !con2)
        return 1;
    producer(con1, con2);
    cio_gen_free(con1);
    cio_gen_free(con2);
    return 0;
}
