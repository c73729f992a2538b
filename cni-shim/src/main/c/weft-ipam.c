/*
 * weft-ipam, the native build: the same tiny protocol as the Java build (docs/cni.md, frame version 1).
 * Forwards the CNI_* variables and stdin to weftd over its unix socket, prints the answer and exits with
 * its code. Parses no JSON; answers VERSION itself. Daemon absent: CNI error 11 naming the socket
 * (STATUS: 50); a DEL is spooled as one file (written, synced, renamed) and exits 0.
 * libc only; built with gcc -static -Wall -Wextra -Werror.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_STDIN (1024 * 1024)
#define MAX_ENV (64 * 1024)
#define MAX_OUT (4 * 1024 * 1024)

extern char **environ;

static const char VERSION_JSON[] =
    "{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}";

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

/* Prints a CNI error; msg and detail are escaped for JSON. */
static int cni_error(int code, const char *msg, const char *detail) {
    const char *parts[2] = {msg, detail};
    printf("{\"cniVersion\":\"1.1.0\",\"code\":%d,\"msg\":\"", code);
    for (int p = 0; p < 2; p++) {
        for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++) {
            if (*c == '"' || *c == '\\') printf("\\%c", *c);
            else if (*c < 0x20) printf("\\u%04x", *c);
            else putchar(*c);
        }
        fputs(p == 0 ? "\",\"details\":\"" : "\"}", stdout);
    }
    fflush(stdout);
    return 1;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

/* The request frame: "WCNI" 1 envLen env stdinLen stdin; extra (may be NULL) is one more KEY=VALUE. */
static unsigned char *encode(const char *in, size_t in_len, const char *extra, size_t *len) {
    size_t env_len = extra ? strlen(extra) + 1 : 0;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "CNI_", 4) == 0) env_len += strlen(*e) + 1;
    if (env_len > MAX_ENV) return NULL;
    unsigned char *f = malloc(13 + env_len + in_len), *p = f + 9;
    if (!f) return NULL;
    memcpy(f, "WCNI\1", 5);
    put32(f + 5, (uint32_t)env_len);
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "CNI_", 4) == 0) { size_t n = strlen(*e) + 1; memcpy(p, *e, n); p += n; }
    if (extra) { memcpy(p, extra, strlen(extra) + 1); p += strlen(extra) + 1; }
    put32(p, (uint32_t)in_len);
    memcpy(p + 4, in, in_len);
    *len = 13 + env_len + in_len;
    return f;
}

/* Waits for the socket to be readable or writable within the deadline (ms since boot). */
static int wait_fd(int fd, short events, int64_t deadline) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    struct pollfd p = {fd, events, 0};
    if (left <= 0 || poll(&p, 1, (int)left) <= 0) { errno = ETIMEDOUT; return -1; }
    return 0;
}

static int io_all(int fd, unsigned char *buf, size_t n, int writing, int64_t deadline) {
    while (n > 0) {
        if (wait_fd(fd, writing ? POLLOUT : POLLIN, deadline) < 0) return -1;
        ssize_t r = writing ? send(fd, buf, n, MSG_NOSIGNAL) : recv(fd, buf, n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) { if (r == 0) errno = ECONNRESET; return -1; }
        buf += r; n -= (size_t)r;
    }
    return 0;
}

/* One call to weftd; returns its exit code, or -1 with errno set when it cannot be reached. */
static int call(const char *path, const unsigned char *frame, size_t len, int timeout_s) {
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; return -1; }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t deadline = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + (int64_t)timeout_s * 1000;
    unsigned char head[10];
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0
        || io_all(fd, (unsigned char *)frame, len, 1, deadline) < 0
        || io_all(fd, head, sizeof head, 0, deadline) < 0) {
        int e = errno; close(fd); errno = e; return -1;
    }
    uint32_t out_len = (uint32_t)head[6] << 24 | head[7] << 16 | head[8] << 8 | head[9];
    unsigned char *out = memcmp(head, "WCNI\1", 5) == 0 && out_len <= MAX_OUT ? malloc(out_len + 1) : NULL;
    if (!out || io_all(fd, out, out_len, 0, deadline) < 0) { close(fd); errno = EPROTO; return -1; }
    close(fd);
    fwrite(out, 1, out_len, stdout);
    fflush(stdout);
    return head[5];
}

/* mkdir -p: the spool folder may not exist yet on a node where weftd never ran. */
static void make_dirs(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++)
        if (*p == '/') { *p = 0; mkdir(path, 0755); *p = '/'; }
    mkdir(path, 0700);
}

/* A DEL for later: the frame stamped with WEFT_SPOOLED_AT, written to a temporary name, synced, renamed. */
static int spool(const char *dir, const char *in, size_t in_len) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long long nanos = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
    char stamp[64], tmp[4096], name[4096];
    snprintf(stamp, sizeof stamp, "WEFT_SPOOLED_AT=%lld", nanos);
    size_t len;
    unsigned char *frame = encode(in, in_len, stamp, &len);
    if (!frame) return -1;
    make_dirs(dir);
    snprintf(tmp, sizeof tmp, "%s/.tmp-del-%lld-%d.frame", dir, nanos, (int)getpid());
    snprintf(name, sizeof name, "%s/del-%lld-%d.frame", dir, nanos, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, frame + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) { close(fd); unlink(tmp); return -1; }
        done += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, name) < 0) { unlink(tmp); return -1; }
    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d >= 0) { fsync(d); close(d); }
    return 0;
}

int main(void) {
    const char *command = env_or("CNI_COMMAND", "");
    if (strcmp(command, "VERSION") == 0) { fputs(VERSION_JSON, stdout); return 0; }
    char *in = malloc(MAX_STDIN + 1);
    size_t in_len = 0;
    ssize_t r;
    if (!in) return cni_error(5, "weft-ipam is out of memory", "");
    while (in_len <= MAX_STDIN && (r = read(0, in + in_len, MAX_STDIN + 1 - in_len)) != 0) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return cni_error(5, "weft-ipam could not read stdin", strerror(errno));
        in_len += (size_t)r;
    }
    const char *socket_path = env_or("WEFT_CNI_SOCKET", "/run/weft/cni.sock");
    int timeout = atoi(env_or("WEFT_CNI_TIMEOUT", "30"));
    size_t len;
    unsigned char *frame = encode(in, in_len, NULL, &len);
    if (!frame) return cni_error(4, "the CNI_* variables are over 64 KiB", "check the runtime's environment");
    int code = call(socket_path, frame, len, timeout > 0 ? timeout : 30);
    if (code >= 0) return code;
    char msg[4300];
    snprintf(msg, sizeof msg, "weftd is not reachable on %s (%s)", socket_path, strerror(errno));
    if (strcmp(command, "DEL") == 0) {
        const char *dir = env_or("WEFT_CNI_SPOOL", "/var/lib/weft-cni/spool");
        if (spool(dir, in, in_len) == 0) return 0;
        return cni_error(11, msg, "and the DEL could not be spooled either: check WEFT_CNI_SPOOL");
    }
    if (strcmp(command, "STATUS") == 0)
        return cni_error(50, msg, "start weftd, or set WEFT_CNI_SOCKET to its CNI socket");
    return cni_error(11, msg, "try again later; start weftd, or set WEFT_CNI_SOCKET to its CNI socket");
}
