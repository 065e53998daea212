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

enum ck_status ck_render_text(FILE *out, const struct ck_report *r); /* terminal, 80 columns */
enum ck_status ck_render_md(FILE *out, const struct ck_report *r);   /* Markdown */
enum ck_status ck_render_json(FILE *out, const struct ck_report *r); /* docs/report-json.md */
/* One self-contained HTML page (inline CSS and SVG charts, no scripts, no
 * network) for reading, printing to PDF and e-mailing. */
enum ck_status ck_render_html(FILE *out, const struct ck_report *r);

/* Renderer for a format name ("text", "md", "json", "html"), or NULL. */
ck_render_fn ck_renderer(const char *format);

#ifdef __cplusplus
}
#endif
#endif
