#ifndef HS_PROCESS_H
#define HS_PROCESS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Makes a pipe whose two ends are close-on-exec and numbered 3 or above, so that neither can be
/// taken for a child's 0, 1 or 2 when the host itself runs with one of those closed.
/// fds[0] is the read end, fds[1] the write end. Returns 0, or an errno value.
int hs_process_pipe(int fds[2]);

/// Starts the program at `path` (a path, not looked up in PATH) with `argv` (NULL-terminated) and
/// the host's environment, in `directory`, as the leader of a new process group (its pid is the
/// group id), with default signal dispositions and no blocked signals. The child gets exactly
/// three descriptors: stdin_fd, stdout_fd and stderr_fd as its 0, 1 and 2; every other descriptor
/// of the host is closed in it, whatever its close-on-exec flag.
/// Until hs_process_reap, the child is watched: if the host gets SIGINT, SIGTERM or SIGHUP, the
/// child's process group (which the terminal's Ctrl-C does not reach) is killed with SIGKILL, then
/// the signal does what it did before (the default: the host ends by it). The first spawn installs
/// the handlers; an interrupt the host ignores stays ignored.
/// Returns 0 and sets *pid, or an errno value (the program could not be run: ENOENT, EACCES, ...).
int hs_process_spawn(const char *path, char *const argv[], const char *directory,
                     int stdin_fd, int stdout_fd, int stderr_fd, int *pid);

/// A close-on-exec descriptor that polls readable once `pid` (a child) has exited, or -1 where
/// the kernel has none (before Linux 5.3, and on other systems): callers then poll on a timer.
int hs_process_exit_descriptor(int pid);

/// 1 when the child `pid` has exited, 0 while it runs, -1 on error (errno set). Does not reap it:
/// until hs_process_reap, its pid and process group id stay reserved and safe to signal.
int hs_process_has_exited(int pid);

/// Stops watching the child `pid`, waits for it and reaps it. Sets *signalled to 1 and *code to the signal number
/// when a signal killed it, else *signalled to 0 and *code to its exit status.
/// Returns 0, or an errno value.
int hs_process_reap(int pid, int *code, int *signalled);

#ifdef __cplusplus
}
#endif

#endif
