/*
 * render.h - output formats; each only formats a suppressed, const report
 * SPDX-License-Identifier: MIT
 */
#ifndef CKCOHORT_RENDER_H
#define CKCOHORT_RENDER_H

#include <stdio.h>
#include "ckcohort/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write report r to out.  Returns CK_OK or CK_EIO when writing fails. */
typedef enum ck_status (*ck_render_fn)(FILE *out, const struct ck_report *r);

CK_API enum ck_status
ck_render_text(FILE *out, const struct ck_report *r); /* terminal, 80 columns */
CK_API enum ck_status ck_render_md(FILE *out,
                                   const struct ck_report *r); /* Markdown */
CK_API enum ck_status
ck_render_json(FILE *out, const struct ck_report *r); /* docs/report-json.md */
/* One self-contained HTML page (inline CSS and SVG charts, no scripts, no
 * network) for reading, printing to PDF and e-mailing. */
CK_API enum ck_status ck_render_html(FILE *out, const struct ck_report *r);

/* The same page printed to PDF by headless Chromium (ck_pdf_from_html). */
CK_API enum ck_status ck_render_pdf(FILE *out, const struct ck_report *r);

/* Renderer for a format name ("text", "md", "json", "html", "pdf"), or
 * NULL. */
CK_API ck_render_fn ck_renderer(const char *format);

/* The headless browser that prints PDF: "chromium" (or "chromium-browser")
 * on PATH.  Writes its path into buf (cap bytes) and returns CK_OK, or
 * returns CK_EIO with err saying which Debian package to install. */
CK_API enum ck_status ck_pdf_printer(char *buf, size_t cap,
                                     struct ck_error *err);

#ifdef __cplusplus
}
#endif
#endif
