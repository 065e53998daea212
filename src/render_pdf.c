/*
 * render_pdf.c - PDF: the HTML page (render_html.c) printed by headless
 * Chromium, found on PATH.  The running header and footer (title, cohort,
 * generation date, "page N of M") are the page's own CSS @page margin
 * boxes, so printing the HTML from any browser gives the same pages.
 * SPDX-License-Identifier: MIT
 *
 * The browser runs on a private copy of the page in a fresh temporary
 * directory with its own profile, without network (every host name maps to
 * nothing) and is given at most CK_PDF_TIMEOUT seconds.  The page has no
 * scripts and fetches nothing, so the sandbox is switched off: it cannot
 * start as root or in most containers, and has nothing to contain here.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "ckcohort/ask.h"
#include "ckcohort/render.h"
#include "render_util.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CK_PDF_TIMEOUT 180 /* seconds: a 20-page report prints in about 2 */

static const char *const browsers[] = {"chromium", "chromium-browser"};

enum ck_status ck_pdf_printer(char *buf, size_t cap, struct ck_error *err) {
  const char *path = getenv("PATH");
  if (path == NULL || *path == '\0')
    path = "/usr/local/bin:/usr/bin:/bin";
  for (size_t b = 0; b < sizeof browsers / sizeof browsers[0]; b++) {
    for (const char *p = path; *p;) {
      size_t len = strcspn(p, ":");
      int n = snprintf(buf, cap, "%.*s/%s", (int)(len ? len : 1), len ? p : ".",
                       browsers[b]);
      if (n > 0 && (size_t)n < cap && access(buf, X_OK) == 0)
        return CK_OK;
      p += len;
      if (*p == ':')
        p++;
    }
  }
  if (cap > 0)
    buf[0] = '\0';
  return ck_error_set(err, CK_EIO, NULL, 0, NULL,
                      "--format pdf needs headless Chromium, and no "
                      "'chromium' is on PATH; install the Debian package "
                      "chromium (apt-get install chromium)");
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  remove(path); /* best effort: remove what can be */
  return 0;
}

static void rm_tree(const char *dir) {
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool write_all(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL)
    return false;
  bool ok = fwrite(data, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

/* Run the browser; 0 when it exited 0, else its status or -1. */
static int run_browser(const char *exe, const char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0)
    return -1;
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    execv(exe, (char *const *)argv);
    _exit(127);
  }
  int status = 0;
  struct timespec tick = {0, 50 * 1000 * 1000};
  for (long waited = 0;; waited += 50) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid)
      break;
    if (w < 0 && errno != EINTR)
      return -1;
    if (waited >= CK_PDF_TIMEOUT * 1000L) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return -1;
    }
    nanosleep(&tick, NULL);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

enum ck_status ck_pdf_from_html(FILE *out, const char *html, size_t len,
                                struct ck_error *err) {
  char exe[4096];
  if (out == NULL || html == NULL)
    return ck_error_set(err, CK_EUSAGE, NULL, 0, NULL, "no output or page");
  if (ck_pdf_printer(exe, sizeof exe, err) != CK_OK)
    return CK_EIO;
  const char *tmp = getenv("TMPDIR");
  char dir[4096], page[4200], pdf[4200], profile[4200], url[4300], to[4300],
      ud[4300];
  snprintf(dir, sizeof dir, "%s/ckcohort-pdf-XXXXXX",
           tmp && *tmp == '/' ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL)
    return ck_error_set(err, CK_EIO, dir, 0, NULL,
                        "cannot make a temporary folder for the PDF: %s",
                        strerror(errno));
  snprintf(page, sizeof page, "%s/page.html", dir);
  snprintf(pdf, sizeof pdf, "%s/page.pdf", dir);
  snprintf(profile, sizeof profile, "%s/profile", dir);
  snprintf(url, sizeof url, "file://%s", page);
  snprintf(to, sizeof to, "--print-to-pdf=%s", pdf);
  snprintf(ud, sizeof ud, "--user-data-dir=%s", profile);
  enum ck_status st = CK_OK;
  FILE *in = NULL;
  char *data = NULL;
  if (!write_all(page, html, len)) {
    st = ck_error_set(err, CK_EIO, page, 0, NULL, "cannot write: %s",
                      strerror(errno));
    goto done;
  }
  const char *argv[] = {exe,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-extensions",
                        "--disable-quic",
                        "--host-resolver-rules=MAP * ~NOTFOUND",
                        "--no-pdf-header-footer",
                        ud,
                        to,
                        url,
                        NULL};
  int rc = run_browser(exe, argv);
  /* Read the PDF whole and remove the folder before writing a byte: a
   * reader that stops early (SIGPIPE) must not leave the folder behind. */
  size_t n = 0, cap = 0;
  in = fopen(pdf, "rb");
  if (rc == 0 && in != NULL) {
    size_t got;
    do {
      if (n == cap) {
        cap = cap ? cap * 2 : 1 << 20;
        data = ck_xrealloc(data, cap);
      }
      got = fread(data + n, 1, cap - n, in);
      n += got;
    } while (got > 0);
    if (ferror(in))
      n = 0;
  }
  if (in != NULL)
    fclose(in);
  in = NULL;
  rm_tree(dir);
  dir[0] = '\0';
  if (n < 5 || memcmp(data, "%PDF-", 5) != 0) {
    st = ck_error_set(err, CK_EIO, exe, 0, NULL,
                      rc == -1 ? "chromium did not finish printing the PDF"
                               : "chromium did not print the PDF (exit "
                                 "status %d)",
                      rc);
    goto done;
  }
  if (fwrite(data, 1, n, out) != n || fflush(out) != 0 || ferror(out))
    st = ck_error_set(err, CK_EIO, NULL, 0, NULL, "cannot write the PDF");
done:
  if (in != NULL)
    fclose(in);
  if (dir[0])
    rm_tree(dir);
  free(data);
  return st;
}

/* An HTML renderer's page in memory, then printed. */
static enum ck_status print_page(FILE *out,
                                 enum ck_status (*html)(FILE *, const void *),
                                 const void *arg) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (mem == NULL)
    return CK_ENOMEM;
  enum ck_status st = html(mem, arg);
  if (fclose(mem) != 0 && st == CK_OK)
    st = CK_EIO;
  if (st == CK_OK)
    st = ck_pdf_from_html(out, buf, len, NULL);
  free(buf);
  return st;
}

static enum ck_status report_html(FILE *out, const void *r) {
  return ck_render_html(out, r);
}

static enum ck_status ask_html(FILE *out, const void *a) {
  return ck_ask_render_html(out, a);
}

enum ck_status ck_render_pdf(FILE *out, const struct ck_report *r) {
  if (out == NULL || r == NULL || !r->checked)
    return CK_EUSAGE;
  return print_page(out, report_html, r);
}

enum ck_status ck_ask_render_pdf(FILE *out, const struct ck_ask *a) {
  if (out == NULL || a == NULL || a->model == NULL || !a->model->checked)
    return CK_EUSAGE;
  return print_page(out, ask_html, a);
}
