// Starting external stages: posix_spawn with every descriptor but 0, 1 and 2 closed in the child.
// Foundation's Process on Linux leaves one descriptor of its own open in the child (the socket it
// watches for the child's exit), so that a detached grandchild holding it made the host wait for
// the grandchild, past any timeout.

#define _GNU_SOURCE 1
#include "hs_process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
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
        pid_t child = 0;
        status = posix_spawn(&child, path, &actions, &attributes, argv, environ);
        if (status == 0) *pid = (int)child;
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
