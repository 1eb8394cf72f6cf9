/* test_sqe_reuse.c — an SQE the loop fills in a slot it knows is free
 * (flush_queued's linked timeouts) must not inherit fields from the SQE
 * that last used the slot. Every slot of an 8-entry SQ is first used by a
 * NOP carrying buf_index = 7 (which the kernel ignores for a NOP); then NOPs
 * with a 5 s deadline, whose LINK_TIMEOUTs land on those slots, must
 * complete with 0: a stale buf_index or IOSQE_IO_LINK makes the kernel
 * reject the timeout and fail or chain the op. liburing 2.3's prep helpers
 * clear those fields; newer ones leave that to io_uring_get_sqe. */
#include "future/io.h"
#include "harness.h"

enum { SQ = 8 };

static intptr_t reuse_main(void *arg)
{
    (void)arg;
    for (int round = 0; round < 4; round++) {
        cio_future *f[SQ];
        for (int i = 0; i < SQ; i++) {
            int err;
            cio__io *io = cio__io_new(&err);
            CHECK(io != NULL);
            io_uring_prep_nop(&io->op.sqe);
            io->op.sqe.buf_index = 7;
            f[i] = cio__io_submit(io);
        }
        for (int i = 0; i < SQ; i++)
            CHECK_EQ(CIO_AWAIT(f[i]), 0);
        for (int i = 0; i < SQ; i++) /* every slot once more, each with a deadline */
            CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_nop(), CIO_MS(5000))), 0);
    }
    return 0;
}

static void test_linked_timeout_in_a_used_slot(void)
{
    cio_loop_opts o = test_loop_opts();
    o.sq_entries = SQ;
    o.cq_entries = 0;
    intptr_t rc = cio_run(reuse_main, NULL, &o);
    if (rc == -ENOSYS || rc == -EPERM) {
        printf("SKIP: io_uring unavailable\n");
        exit(TEST_SKIP);
    }
    CHECK_EQ(rc, 0);
    CHECK_EQ(test_alloc_live(), 0);
}

int main(void)
{
    test_alloc_install();
    RUN(test_linked_timeout_in_a_used_slot);
    return 0;
}
