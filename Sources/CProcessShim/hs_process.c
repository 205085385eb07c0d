// Starting external stages: posix_spawn with every descriptor but 0, 1 and 2 closed in the child.
// Foundation's Process on Linux leaves one descriptor of its own open in the child (the socket it
// watches for the child's exit), so that a detached grandchild holding it made the host wait for
// the grandchild, past any timeout.

#define _GNU_SOURCE 1
#include "hs_process.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/syscall.h>
#endif

extern char **environ;

/// Moves `fd` to a close-on-exec descriptor numbered 3 or above. Returns the new one, or -1.
static int hs_above_standard(int fd) {
    if (fd >= 3) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int saved = errno;
    close(fd);
    errno = saved;
    return moved;
}

int hs_process_pipe(int fds[2]) {
    int raw[2];
#if defined(__linux__)
    if (pipe2(raw, O_CLOEXEC) != 0) return errno;
#else
    if (pipe(raw) != 0) return errno;
    fcntl(raw[0], F_SETFD, FD_CLOEXEC);
    fcntl(raw[1], F_SETFD, FD_CLOEXEC);
#endif
    int read_end = hs_above_standard(raw[0]);
    if (read_end < 0) { int saved = errno; close(raw[1]); return saved; }
    int write_end = hs_above_standard(raw[1]);
    if (write_end < 0) { int saved = errno; close(read_end); return saved; }
    fds[0] = read_end;
    fds[1] = write_end;
    return 0;
}

// Children that are running stages, so that an interrupt of the host takes them too: a stage
// leads a process group of its own, which the terminal's Ctrl-C (sent to the host's foreground
// group) never reaches. A slot holds a pid from just after the spawn until just before the reap,
// so a pid read from it is an unreaped child whose pid and group id no other process can have
// (short of the one reap that may run between a handler's read and its kill).
#define HS_WATCH_SLOTS 1024
static atomic_int hs_watched[HS_WATCH_SLOTS];
// The interrupts that take the stages with them, and what each did before.
static const int hs_interrupts[] = {SIGINT, SIGTERM, SIGHUP};
#define HS_INTERRUPT_COUNT ((int)(sizeof hs_interrupts / sizeof hs_interrupts[0]))
static struct sigaction hs_previous[HS_INTERRUPT_COUNT];
static pthread_once_t hs_handlers_once = PTHREAD_ONCE_INIT;

static void hs_on_interrupt(int signal_number, siginfo_t *info, void *context) {
    int saved = errno;
    for (int i = 0; i < HS_WATCH_SLOTS; i++) {
        int pid = atomic_load(&hs_watched[i]);
        if (pid > 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
    }
    for (int i = 0; i < HS_INTERRUPT_COUNT; i++) {
        if (hs_interrupts[i] != signal_number) continue;
        struct sigaction *previous = &hs_previous[i];
        if (previous->sa_flags & SA_SIGINFO) {
            if (previous->sa_sigaction) previous->sa_sigaction(signal_number, info, context);
        } else if (previous->sa_handler == SIG_DFL) {
            // What the signal would have done: the host ends by it (status 128 + n in a shell).
            // It is blocked in this handler, so it arrives, with the default action, on return.
            sigaction(signal_number, previous, NULL);
            raise(signal_number);
        } else if (previous->sa_handler != SIG_IGN) {
            previous->sa_handler(signal_number);
        }
    }
    errno = saved;
}

static void hs_install_handlers(void) {
    for (int i = 0; i < HS_INTERRUPT_COUNT; i++) {
        struct sigaction previous;
        if (sigaction(hs_interrupts[i], NULL, &previous) != 0) continue;
        // An interrupt the host ignores (started by nohup, or in the background of a script) stays ignored.
        if (!(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_IGN) continue;
        hs_previous[i] = previous;
        struct sigaction action = {0};
        action.sa_sigaction = hs_on_interrupt;
        action.sa_flags = SA_SIGINFO | SA_RESTART;
        sigfillset(&action.sa_mask);
        sigaction(hs_interrupts[i], &action, NULL);
    }
}

static void hs_watch(int pid) {
    for (int i = 0; i < HS_WATCH_SLOTS; i++) {
        int empty = 0;
        if (atomic_compare_exchange_strong(&hs_watched[i], &empty, pid)) return;
    }
    // More than HS_WATCH_SLOTS stages at once: this one is not taken by an interrupt.
}

static void hs_unwatch(int pid) {
    for (int i = 0; i < HS_WATCH_SLOTS; i++) {
        int expected = pid;
        if (atomic_compare_exchange_strong(&hs_watched[i], &expected, 0)) return;
    }
}

int hs_process_spawn(const char *path, char *const argv[], const char *directory,
                     int stdin_fd, int stdout_fd, int stderr_fd, int *pid) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int status = posix_spawn_file_actions_init(&actions);
    if (status != 0) return status;
    status = posix_spawnattr_init(&attributes);
    if (status != 0) { posix_spawn_file_actions_destroy(&actions); return status; }

    // The three descriptors are 3 or above (hs_process_pipe), so no dup2 overwrites another's source.
    if (status == 0) status = posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    if (status == 0) status = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (status == 0) status = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
#if defined(__APPLE__)
    flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    if (status == 0) status = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#else
#error "hs_process_spawn needs posix_spawn_file_actions_addclosefrom_np (glibc 2.34) or POSIX_SPAWN_CLOEXEC_DEFAULT (Darwin)"
#endif
    if (status == 0) status = posix_spawn_file_actions_addchdir_np(&actions, directory);

    // The host ignores SIGPIPE (a stage that exits unread must not kill it); an ignored signal
    // would stay ignored across exec, so the child gets every signal's default back.
    sigset_t all, none;
    sigfillset(&all);
    sigemptyset(&none);
    if (status == 0) status = posix_spawnattr_setflags(&attributes, flags);
    if (status == 0) status = posix_spawnattr_setpgroup(&attributes, 0);
    if (status == 0) status = posix_spawnattr_setsigdefault(&attributes, &all);
    if (status == 0) status = posix_spawnattr_setsigmask(&attributes, &none);

    if (status == 0) {
        pthread_once(&hs_handlers_once, hs_install_handlers);
        // No interrupt between the spawn and the watch: one then would leave the new stage running.
        sigset_t interrupts, before;
        sigemptyset(&interrupts);
        for (int i = 0; i < HS_INTERRUPT_COUNT; i++) sigaddset(&interrupts, hs_interrupts[i]);
        pthread_sigmask(SIG_BLOCK, &interrupts, &before);
        pid_t child = 0;
        status = posix_spawn(&child, path, &actions, &attributes, argv, environ);
        if (status == 0) {
            *pid = (int)child;
            hs_watch((int)child);
        }
        pthread_sigmask(SIG_SETMASK, &before, NULL);
    }
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return status;
}

int hs_process_exit_descriptor(int pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
    // pidfd_open's descriptors are close-on-exec.
    return (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

int hs_process_has_exited(int pid) {
    for (;;) {
        siginfo_t info = {0};
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0) return info.si_pid == (pid_t)pid ? 1 : 0;
        if (errno != EINTR) return -1;
    }
}

int hs_process_reap(int pid, int *code, int *signalled) {
    // Forgotten first: once reaped, its pid may be another process's.
    hs_unwatch(pid);
    int status = 0;
    while (waitpid((pid_t)pid, &status, 0) < 0) {
        if (errno != EINTR) return errno;
    }
    if (WIFSIGNALED(status)) {
        *signalled = 1;
        *code = WTERMSIG(status);
    } else {
        *signalled = 0;
        *code = WEXITSTATUS(status);
    }
    return 0;
}
