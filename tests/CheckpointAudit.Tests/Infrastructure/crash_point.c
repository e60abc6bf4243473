/*
 * crash_point.so: an LD_PRELOAD library that SIGKILLs its process at a chosen file operation, so a
 * crash test's kill lands inside a write by construction, not by timing.
 *
 * It counts the operations that change files under CRASH_POINT_DIR (one folder, or several separated
 * by ':'; opens that create or truncate,
 * writes, fsyncs, truncates, renames, links and unlinks), appends one line per operation to
 * CRASH_POINT_LOG, and just before the CRASH_POINT_AT-th operation kills the process with SIGKILL:
 * no finally block, no flush, exactly what a crash leaves. With CRASH_POINT_TEAR=1 a write chosen as
 * the kill point first writes half of its bytes, as a write cut short by a crash would.
 * CRASH_POINT_MATCH, when set, counts only paths that contain it. CRASH_POINT_AT=0 only records.
 * With CRASH_POINT_COUNT=open only opens that create or truncate are numbered (one per save, whatever the
 * save does next), and CRASH_POINT_THEN=j moves the kill j operations further on the thread that made the
 * CRASH_POINT_AT-th open: "inside the k-th save, at its j-th step" names the same moment in two programs
 * whose saves take different steps.
 *
 * Log lines: "<n> <op> <path>[ <path2>][ <bytes>]" and, at the kill, "<n> kill <op> <path>...".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_DIRS 8
static char watched_dirs[MAX_DIRS][PATH_MAX];
static int watched_dir_count;
static const char *watched_match;
static long kill_at;
static int tear;
static int log_fd = -1;
static atomic_long counter;
static atomic_long points;
static int count_opens_only;
static long then_steps;
static atomic_long armed_thread;
static atomic_long armed_left;

__attribute__((constructor)) static void crash_point_init(void)
{
    const char *dirs = getenv("CRASH_POINT_DIR");
    while (dirs && *dirs && watched_dir_count < MAX_DIRS)
    {
        const char *end = strchr(dirs, ':');
        size_t length = end ? (size_t)(end - dirs) : strlen(dirs);
        if (length > 0 && length < PATH_MAX)
        {
            memcpy(watched_dirs[watched_dir_count], dirs, length);
            watched_dirs[watched_dir_count++][length] = 0;
        }
        dirs = end ? end + 1 : NULL;
    }
    watched_match = getenv("CRASH_POINT_MATCH");
    if (watched_match && !*watched_match) watched_match = NULL;
    const char *at = getenv("CRASH_POINT_AT");
    kill_at = at ? atol(at) : 0;
    const char *count_text = getenv("CRASH_POINT_COUNT");
    count_opens_only = count_text && strcmp(count_text, "open") == 0;
    const char *then_text = getenv("CRASH_POINT_THEN");
    then_steps = then_text ? atol(then_text) : 0;
    const char *tear_text = getenv("CRASH_POINT_TEAR");
    tear = tear_text && *tear_text == '1';
    const char *log = getenv("CRASH_POINT_LOG");
    if (log) log_fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    /* Children of the watched process (none expected) must not inherit the kill point. */
    unsetenv("LD_PRELOAD");
}

/* Absolute form of a path argument: relative paths are resolved against the working directory. */
static void absolute(const char *path, char *out, size_t size)
{
    if (!path) { out[0] = 0; return; }
    if (path[0] == '/') { snprintf(out, size, "%s", path); return; }
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) { snprintf(out, size, "%s", path); return; }
    if ((size_t)snprintf(out, size, "%s/%s", cwd, path) >= size) out[0] = 0;
}

static int watched_path(const char *absolute_path)
{
    if (!absolute_path[0]) return 0;
    for (int i = 0; i < watched_dir_count; i++)
    {
        size_t length = strlen(watched_dirs[i]);
        if (strncmp(absolute_path, watched_dirs[i], length) != 0) continue;
        if (absolute_path[length] != '/' && absolute_path[length] != 0) continue;
        return watched_match == NULL || strstr(absolute_path + length, watched_match) != NULL;
    }
    return 0;
}

static int fd_path(int fd, char *out, size_t size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size - 1);
    if (n <= 0) { out[0] = 0; return 0; }
    out[n] = 0;
    return 1;
}

static void log_line(const char *line)
{
    if (log_fd >= 0) (void)syscall(SYS_write, log_fd, line, strlen(line));
}

/* Counts one operation; returns 1 when it is the kill point (the caller then tears or kills). */
static int count(const char *op, const char *path, const char *path2, long long bytes)
{
    long n = atomic_fetch_add(&counter, 1) + 1;
    int is_kill_point = 0;
    long thread = (long)syscall(SYS_gettid);
    if (atomic_load(&armed_thread) == thread && atomic_fetch_sub(&armed_left, 1) == 1)
    {
        is_kill_point = 1;
    }
    else if (!count_opens_only || strncmp(op, "open", 4) == 0)
    {
        long point = atomic_fetch_add(&points, 1) + 1;
        if (kill_at > 0 && point == kill_at)
        {
            if (then_steps <= 0) is_kill_point = 1;
            else { atomic_store(&armed_left, then_steps); atomic_store(&armed_thread, thread); }
        }
    }
    char line[3 * PATH_MAX];
    snprintf(line, sizeof line, "%ld %s%s %s%s%s %lld\n", n, is_kill_point ? "kill " : "", op, path,
             path2 ? " " : "", path2 ? path2 : "", bytes);
    log_line(line);
    return is_kill_point;
}

static void die(void)
{
    kill(getpid(), SIGKILL);
    for (;;) pause();
}

#define REAL(name) \
    static __typeof__(name) *real_##name; \
    if (!real_##name) real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static void on_open(const char *path, int flags)
{
    if (!(flags & (O_CREAT | O_TRUNC))) return;
    char full[PATH_MAX];
    absolute(path, full, sizeof full);
    if (watched_path(full) && count((flags & O_TRUNC) ? "open-truncate" : "open-create", full, NULL, 0)) die();
}

static int open_mode_needed(int flags) { return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE; }

int open(const char *path, int flags, ...)
{
    REAL(open);
    mode_t mode = 0;
    if (open_mode_needed(flags)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    on_open(path, flags);
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    REAL(open64);
    mode_t mode = 0;
    if (open_mode_needed(flags)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    on_open(path, flags);
    return real_open64(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    REAL(openat);
    mode_t mode = 0;
    if (open_mode_needed(flags)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    if (dirfd == AT_FDCWD || path[0] == '/') on_open(path, flags);
    return real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    REAL(openat64);
    mode_t mode = 0;
    if (open_mode_needed(flags)) { va_list a; va_start(a, flags); mode = va_arg(a, mode_t); va_end(a); }
    if (dirfd == AT_FDCWD || path[0] == '/') on_open(path, flags);
    return real_openat64(dirfd, path, flags, mode);
}

/* A write to a watched file: returns 1 when this write is the kill point. */
static int on_write(int fd, size_t bytes)
{
    char path[PATH_MAX];
    return fd_path(fd, path, sizeof path) && watched_path(path) && count("write", path, NULL, (long long)bytes);
}

ssize_t write(int fd, const void *buffer, size_t bytes)
{
    REAL(write);
    if (on_write(fd, bytes))
    {
        if (tear && bytes > 1) real_write(fd, buffer, bytes / 2);
        die();
    }
    return real_write(fd, buffer, bytes);
}

ssize_t pwrite(int fd, const void *buffer, size_t bytes, off_t offset)
{
    REAL(pwrite);
    if (on_write(fd, bytes))
    {
        if (tear && bytes > 1) real_pwrite(fd, buffer, bytes / 2, offset);
        die();
    }
    return real_pwrite(fd, buffer, bytes, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t bytes, off64_t offset)
{
    REAL(pwrite64);
    if (on_write(fd, bytes))
    {
        if (tear && bytes > 1) real_pwrite64(fd, buffer, bytes / 2, offset);
        die();
    }
    return real_pwrite64(fd, buffer, bytes, offset);
}

static size_t total_bytes(const struct iovec *iov, int count_)
{
    size_t total = 0;
    for (int i = 0; i < count_; i++) total += iov[i].iov_len;
    return total;
}

/* Vectored writes tear by writing the first buffer only (or nothing when there is one). */
ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    REAL(writev);
    if (on_write(fd, total_bytes(iov, iovcnt)))
    {
        if (tear && iovcnt > 1) real_writev(fd, iov, 1);
        die();
    }
    return real_writev(fd, iov, iovcnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
    REAL(pwritev);
    if (on_write(fd, total_bytes(iov, iovcnt)))
    {
        if (tear && iovcnt > 1) real_pwritev(fd, iov, 1, offset);
        die();
    }
    return real_pwritev(fd, iov, iovcnt, offset);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off64_t offset)
{
    REAL(pwritev64);
    if (on_write(fd, total_bytes(iov, iovcnt)))
    {
        if (tear && iovcnt > 1) real_pwritev64(fd, iov, 1, offset);
        die();
    }
    return real_pwritev64(fd, iov, iovcnt, offset);
}

static int on_fd(const char *op, int fd)
{
    char path[PATH_MAX];
    return fd_path(fd, path, sizeof path) && watched_path(path) && count(op, path, NULL, 0);
}

int fsync(int fd)
{
    REAL(fsync);
    if (on_fd("fsync", fd)) die();
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync);
    if (on_fd("fsync", fd)) die();
    return real_fdatasync(fd);
}

int ftruncate(int fd, off_t length)
{
    REAL(ftruncate);
    if (on_fd("truncate", fd)) die();
    return real_ftruncate(fd, length);
}

int ftruncate64(int fd, off64_t length)
{
    REAL(ftruncate64);
    if (on_fd("truncate", fd)) die();
    return real_ftruncate64(fd, length);
}

static int on_two_paths(const char *op, const char *from, const char *to)
{
    char a[PATH_MAX], b[PATH_MAX];
    absolute(from, a, sizeof a);
    absolute(to, b, sizeof b);
    return (watched_path(a) || watched_path(b)) && count(op, a, b, 0);
}

int rename(const char *from, const char *to)
{
    REAL(rename);
    if (on_two_paths("rename", from, to)) die();
    return real_rename(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
    REAL(renameat);
    if (fromfd == AT_FDCWD && tofd == AT_FDCWD && on_two_paths("rename", from, to)) die();
    return real_renameat(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
    REAL(renameat2);
    if (fromfd == AT_FDCWD && tofd == AT_FDCWD && on_two_paths("rename", from, to)) die();
    return real_renameat2(fromfd, from, tofd, to, flags);
}

int link(const char *from, const char *to)
{
    REAL(link);
    if (on_two_paths("link", from, to)) die();
    return real_link(from, to);
}

static int on_path(const char *op, const char *path)
{
    char full[PATH_MAX];
    absolute(path, full, sizeof full);
    return watched_path(full) && count(op, full, NULL, 0);
}

int unlink(const char *path)
{
    REAL(unlink);
    if (on_path("unlink", path)) die();
    return real_unlink(path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
    REAL(unlinkat);
    if ((dirfd == AT_FDCWD || path[0] == '/') && on_path("unlink", path)) die();
    return real_unlinkat(dirfd, path, flags);
}
