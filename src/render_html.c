/*
 * render_html.c - the report as one self-contained HTML page: the text
 * report's sections (render_doc.c) plus inline SVG charts, inline CSS, no
 * scripts, nothing fetched, so it reads the same from an e-mail attachment
 * and prints to paginated PDF.
 * SPDX-License-Identifier: MIT
 *
 * Charts are drawn from the suppressed model through the same state helpers
 * as the tables (ck_cell_state, ck_rate_state): a withheld value is drawn as
 * absent with a "withheld" label, never as zero, so a chart cannot show what
 * a table withholds.  No individual students are drawn: the regression chart
 * shows only the fitted line and prediction band at the model's practice
 * points.  Colours: Okabe-Ito (colour-blind safe).
 */
#include "ckcohort/ask.h"
#include "ckcohort/render.h"
#include "render_util.h"
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Okabe-Ito palette */
#define C_BLACK      "#000000"
#define C_ORANGE     "#E69F00"
#define C_SKY        "#56B4E9"
#define C_GREEN      "#009E73"
#define C_BLUE       "#0072B2"
#define C_VERMILLION "#D55E00"
#define C_PURPLE     "#CC79A7"
#define C_GRID       "#d9d9d9"
#define C_MUTED      "#595959"

/* The one escaping helper of this format, for every string written into
 * the page (ours and the input files': specialty names, paths, reasons):
 * markup characters become entities and control characters spaces. */
static void esc(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '&':
      fputs("&amp;", out);
      break;
    case '<':
      fputs("&lt;", out);
      break;
    case '>':
      fputs("&gt;", out);
      break;
    case '"':
      fputs("&quot;", out);
      break;
    case '\'':
      fputs("&#39;", out);
      break;
    default:
      fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
    }
  }
}

/* A coordinate with one decimal and a '.' whatever the locale. */
static const char *co(char *buf, double v) {
  if (!isfinite(v))
    v = 0;
  snprintf(buf, 32, "%.1f", v);
  for (char *p = buf; *p; p++)
    if (*p == ',')
      *p = '.';
  if (strcmp(buf, "-0.0") == 0)
    strcpy(buf, "0.0");
  return buf;
}

/* ---- document ops ---- */

/* Print layout: a heading, and a lead-in paragraph (one ending in ':'), is
 * kept on the page of the block after it by wrapping them together in a
 * <div class="kt"> that may not break inside.  The group closes after the
 * first block that is neither a heading nor a lead-in. */
struct html_doc {
  struct ck_doc d; /* first member */
  int figures;     /* ids of figures on the page */
  bool keep_open;  /* a <div class="kt"> is open */
  bool ul_open;    /* a <ul> is open */
  bool ul_kept;    /* ... inside the keep group: close both together */
};

static void keep_close(struct ck_doc *d);

static void close_list(struct ck_doc *d) {
  struct html_doc *h = (struct html_doc *)d;
  if (h->ul_open)
    fputs("</ul>\n", d->out);
  if (h->ul_open && h->ul_kept)
    keep_close(d);
  h->ul_open = h->ul_kept = false;
}

static void keep_open(struct ck_doc *d) {
  struct html_doc *h = (struct html_doc *)d;
  if (!h->keep_open)
    fputs("<div class=\"kt\">\n", d->out);
  h->keep_open = true;
}

static void keep_close(struct ck_doc *d) {
  struct html_doc *h = (struct html_doc *)d;
  if (h->keep_open)
    fputs("</div>\n", d->out);
  h->keep_open = false;
}

/* A block starts: close an open list (and the keep group the list closed,
 * if a lead-in or heading opened it). */
static void block_start(struct ck_doc *d) { close_list(d); }

static void h_heading(struct ck_doc *d, int level, const char *text) {
  close_list(d);
  /* a heading right after a heading joins its group: "Score change" stays
   * with "Low-pass retakers" and the table under both */
  if (level < 1)
    level = 1;
  if (level > 4)
    level = 4;
  if (level > 1)
    keep_open(d);
  fprintf(d->out, "<h%d>", level);
  esc(d->out, text);
  fprintf(d->out, "</h%d>\n", level);
}

static bool lead_in(const char *text) {
  size_t n = strlen(text);
  return n > 0 && text[n - 1] == ':';
}

static void h_para(struct ck_doc *d, const char *text) {
  block_start(d);
  if (lead_in(text))
    keep_open(d);
  fputs(lead_in(text) ? "<p class=\"li\">" : "<p>", d->out);
  esc(d->out, text);
  fputs("</p>\n", d->out);
  if (!lead_in(text))
    keep_close(d);
}

static void h_item(struct ck_doc *d, const char *text) {
  struct html_doc *h = (struct html_doc *)d;
  if (!h->ul_open)
    fputs("<ul>\n", d->out);
  if (!h->ul_open)
    h->ul_kept = h->keep_open;
  h->ul_open = true;
  fputs("<li>", d->out);
  esc(d->out, text);
  fputs("</li>\n", d->out);
}

/* A cell's text.  In a number column, "83.4% (76.1–89.0)" may wrap before
 * the interval (so wide tables fit a printed page) but never inside it. */
static void cell_text(FILE *o, const char *s, bool number) {
  const char *ci = number ? strstr(s, " (") : NULL;
  if (ci == NULL) {
    esc(o, s);
    return;
  }
  char head[CK_FMT_CAP];
  size_t n =
      (size_t)(ci - s) < sizeof head ? (size_t)(ci - s) : sizeof head - 1;
  memcpy(head, s, n);
  head[n] = '\0';
  fputs("<span class=\"nw\">", o);
  esc(o, head);
  fputs("</span> <span class=\"nw\">", o);
  esc(o, ci + 1);
  fputs("</span>", o);
}

/* Tables longer than this may break across pages (with the header row
 * repeated); shorter ones move whole to the next page. */
#define LONG_TABLE_ROWS 24

/* Header words that wrap: "match rate (95% CI)" may take two lines, a
 * number column never does. */
static void h_table(struct ck_doc *d, const struct ck_table *t) {
  block_start(d);
  /* a long table may break, so it cannot sit in an unbreakable group: the
   * heading before it keeps to its first rows by break-after: avoid */
  if (t->nrows > LONG_TABLE_ROWS)
    keep_close(d);
  FILE *o = d->out;
  fprintf(o, "<div class=\"tw%s\"><table>\n<thead><tr>",
          t->nrows > LONG_TABLE_ROWS ? " long" : "");
  for (size_t c = 0; c < t->ncols; c++) {
    fputs(t->align[c] == 'r' ? "<th class=\"r\">" : "<th>", o);
    esc(o, t->cells[c]);
    fputs("</th>", o);
  }
  fputs("</tr></thead>\n<tbody>\n", o);
  for (size_t i = 1; i < t->nrows; i++) {
    fputs("<tr>", o);
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = t->cells[i * t->ncols + c];
      bool muted =
          strcmp(s, CK_TXT_WITHHELD) == 0 || strcmp(s, CK_TXT_NED) == 0;
      fputs("<td", o);
      if (t->align[c] == 'r' || muted)
        fprintf(o, " class=\"%s%s\"", t->align[c] == 'r' ? "r" : "",
                muted ? (t->align[c] == 'r' ? " w" : "w") : "");
      if (c == 0 && t->indent[i] > 0)
        fprintf(o, " style=\"padding-left:%.1fem\"", 0.4 + 1.2 * t->indent[i]);
      fputc('>', o);
      cell_text(o, s, t->align[c] == 'r');
      fputs("</td>", o);
    }
    fputs("</tr>\n", o);
  }
  fputs("</tbody></table></div>\n", o);
  keep_close(d);
}

/* ---- chart scaffolding ---- */

/* A "nice" tick step (1, 2 or 5 times a power of ten) giving about
 * `target` intervals over range; whole numbers only when `whole`. */
static double nice_step(double range, int target, bool whole) {
  if (!(range > 0))
    return 1;
  double raw = range / target, mag = pow(10, floor(log10(raw))), f = raw / mag;
  double s = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  s *= mag;
  return whole && s < 1 ? 1 : s;
}

struct fig {
  FILE *o;
  int id;
  double w, h;               /* viewBox */
  double px0, px1, py0, py1; /* plot area: x left..right, y top..bottom */
  double xlo, xhi, ylo, yhi; /* data ranges */
};

static double fx(const struct fig *f, double v) {
  return f->px0 + (v - f->xlo) / (f->xhi - f->xlo) * (f->px1 - f->px0);
}
static double fy(const struct fig *f, double v) {
  return f->py1 - (v - f->ylo) / (f->yhi - f->ylo) * (f->py1 - f->py0);
}

/* Opens <figure>, the visible title, the takeaway and the <svg> with its
 * <title> and <desc> for screen readers. */
static void fig_open(struct fig *f, struct html_doc *h, double w, double ht,
                     const char *title, const char *takeaway) {
  f->o = h->d.out;
  f->id = ++h->figures;
  f->w = w;
  f->h = ht;
  FILE *o = f->o;
  fprintf(o,
          "<figure class=\"chart\">\n<figcaption><span class=\"ft\" "
          "id=\"fig%d-t\">",
          f->id);
  esc(o, title);
  fprintf(o, "</span><span class=\"tk\" id=\"fig%d-d\">", f->id);
  esc(o, takeaway);
  fprintf(o,
          "</span></figcaption>\n<svg "
          "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
          "aria-labelledby=\"fig%d-st fig%d-sd\">\n<title id=\"fig%d-st\">",
          (int)w, (int)ht, (int)w, (int)ht, f->id, f->id, f->id);
  esc(o, title);
  fprintf(o, "</title>\n<desc id=\"fig%d-sd\">", f->id);
  esc(o, takeaway);
  fputs("</desc>\n", o);
}

static void fig_svg_close(struct fig *f) { fputs("</svg>\n", f->o); }

/* Where the plot area is, for tests that check no label overlaps it. */
static void plot_mark(struct fig *f) {
  char a[32], b[32], c[32], d[32];
  fprintf(f->o,
          "<g class=\"plot\" data-x0=\"%s\" data-y0=\"%s\" "
          "data-x1=\"%s\" data-y1=\"%s\"></g>\n",
          co(a, f->px0), co(b, f->py0), co(c, f->px1), co(d, f->py1));
}

/* Width of a category label (class "cl", 12px DejaVu Sans): the widest
 * glyph advance of the letters we print (7.4px, "m" and capitals) per code
 * point, so the estimate is never short; a label column is sized from its
 * longest label. */
#define LABEL_CHAR_W 7.4
#define LABEL_GAP    12.0 /* between the longest label and the plot */
static double label_w(const char *s) {
  return LABEL_CHAR_W * (double)ck_utf8_width(s);
}

/* Split a label wider than maxw into two lines at a space (the second
 * shortened with "…" if it is still too wide); *l2 is "" when one line
 * fits. */
static void label_lines(const char *s, double maxw, char *l1, char *l2,
                        size_t cap) {
  snprintf(l1, cap, "%s", s);
  l2[0] = '\0';
  if (label_w(s) <= maxw)
    return;
  size_t fit = (size_t)(maxw / LABEL_CHAR_W), cps = 0;
  const char *cut = NULL;
  for (const char *p = s; *p; p++) {
    if ((*p & 0xC0) != 0x80)
      cps++;
    if (cps > fit)
      break;
    if (*p == ' ')
      cut = p;
  }
  if (cut == NULL) { /* one long word: shorten it */
    cut = s;
    for (size_t k = 0; *cut && k + 1 < fit; cut++)
      if ((*cut & 0xC0) != 0x80)
        k++;
    while ((*cut & 0xC0) == 0x80)
      cut++;
    snprintf(l1, cap, "%.*s…", (int)(cut - s), s);
    return;
  }
  snprintf(l1, cap, "%.*s", (int)(cut - s), s);
  const char *rest = cut + 1;
  if (label_w(rest) <= maxw) {
    snprintf(l2, cap, "%s", rest);
    return;
  }
  const char *e = rest;
  for (size_t k = 0; *e && k + 1 < fit; e++)
    if ((*e & 0xC0) != 0x80)
      k++;
  while ((*e & 0xC0) == 0x80)
    e++;
  snprintf(l2, cap, "%.*s…", (int)(e - rest), rest);
}
static void fig_close(struct fig *f) { fputs("</figure>\n", f->o); }

static void text_at(struct fig *f, double x, double y, const char *anchor,
                    const char *cls, const char *s) {
  char a[32], b[32];
  fprintf(f->o, "<text x=\"%s\" y=\"%s\"", co(a, x), co(b, y));
  if (anchor)
    fprintf(f->o, " text-anchor=\"%s\"", anchor);
  if (cls)
    fprintf(f->o, " class=\"%s\"", cls);
  fputc('>', f->o);
  esc(f->o, s);
  fputs("</text>\n", f->o);
}

static void line(struct fig *f, double x1, double y1, double x2, double y2,
                 const char *stroke, double width, const char *dash) {
  char a[32], b[32], c[32], d[32];
  fprintf(f->o,
          "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" "
          "stroke-width=\"%.1f\"%s%s%s/>\n",
          co(a, x1), co(b, y1), co(c, x2), co(d, y2), stroke, width,
          dash ? " stroke-dasharray=\"" : "", dash ? dash : "",
          dash ? "\"" : "");
}

static void rect(struct fig *f, double x, double y, double w, double h,
                 const char *fill) {
  char a[32], b[32], c[32], d[32];
  fprintf(f->o,
          "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
          "fill=\"%s\"/>\n",
          co(a, x), co(b, y), co(c, w), co(d, h), fill);
}

/* Percent tick label: 0.4 -> "40%". */
static void pct_label(char *buf, double v) {
  snprintf(buf, CK_FMT_CAP, "%.0f%%", v * 100.0);
}

static void num_label(char *buf, double v, double step) {
  int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
  snprintf(buf, CK_FMT_CAP, "%.*f", dec, v);
  for (char *p = buf; *p; p++)
    if (*p == ',')
      *p = '.';
}

/* Vertical gridlines and tick labels along the bottom (a horizontal value
 * axis). */
static void x_axis(struct fig *f, double step, bool pct, const char *title) {
  char b[CK_FMT_CAP];
  for (double v = f->xlo; v <= f->xhi + step * 1e-6; v += step) {
    double x = fx(f, v);
    line(f, x, f->py0, x, f->py1, C_GRID, 1, NULL);
    line(f, x, f->py1, x, f->py1 + 4, C_BLACK, 1, NULL);
    if (pct)
      pct_label(b, v);
    else
      num_label(b, v, step);
    text_at(f, x, f->py1 + 16, "middle", "tl", b);
  }
  line(f, f->px0, f->py1, f->px1, f->py1, C_BLACK, 1, NULL);
  text_at(f, (f->px0 + f->px1) / 2, f->py1 + 34, "middle", "at", title);
}

/* Horizontal gridlines and tick labels on the left (a vertical value axis). */
static void y_axis(struct fig *f, double step, bool pct, const char *title) {
  char b[CK_FMT_CAP], a[32], c[32];
  for (double v = f->ylo; v <= f->yhi + step * 1e-6; v += step) {
    double y = fy(f, v);
    line(f, f->px0, y, f->px1, y, C_GRID, 1, NULL);
    line(f, f->px0 - 4, y, f->px0, y, C_BLACK, 1, NULL);
    if (pct)
      pct_label(b, v);
    else
      num_label(b, v, step);
    text_at(f, f->px0 - 7, y + 4, "end", "tl", b);
  }
  line(f, f->px0, f->py0, f->px0, f->py1, C_BLACK, 1, NULL);
  double cx = 16, cy = (f->py0 + f->py1) / 2;
  fprintf(f->o,
          "<text transform=\"translate(%s %s) rotate(-90)\" "
          "text-anchor=\"middle\" class=\"at\">",
          co(a, cx), co(c, cy));
  esc(f->o, title);
  fputs("</text>\n", f->o);
}

/* Legend swatches in one row at (x, y). */
static void legend(struct fig *f, double x, double y, size_t n,
                   const char *const *labels, const char *const *colours) {
  for (size_t i = 0; i < n; i++) {
    rect(f, x, y - 9, 12, 12, colours[i]);
    text_at(f, x + 17, y + 1, NULL, "lg", labels[i]);
    x += 30 + 6.3 * (double)ck_utf8_width(labels[i]);
  }
}

/* A dot with a horizontal or vertical interval whisker. */
static void whisker(struct fig *f, double x1, double y1, double x2, double y2,
                    double cx, double cy, const char *colour) {
  char a[32], b[32];
  bool horiz = fabs(y1 - y2) < 1e-9;
  line(f, x1, y1, x2, y2, colour, 2, NULL);
  if (horiz) {
    line(f, x1, y1 - 5, x1, y1 + 5, colour, 2, NULL);
    line(f, x2, y2 - 5, x2, y2 + 5, colour, 2, NULL);
  } else {
    line(f, x1 - 5, y1, x1 + 5, y1, colour, 2, NULL);
    line(f, x2 - 5, y2, x2 + 5, y2, colour, 2, NULL);
  }
  fprintf(f->o,
          "<circle cx=\"%s\" cy=\"%s\" r=\"4.5\" fill=\"%s\" "
          "stroke=\"#ffffff\" stroke-width=\"1\"/>\n",
          co(a, cx), co(b, cy), colour);
}

/* What a rate looks like when it is not drawn: "withheld", "≥ 95%
 * (coded)", "not enough data". */
static const char *absent_label(char *buf, const struct ck_report *r,
                                const struct ck_rate *q) {
  enum ck_shown s = ck_rate_state(r, q);
  if (s == CK_CODED_LE || s == CK_CODED_GE) {
    ck_fmt_rate(buf, r, q, true);
    strncat(buf, " (coded)", CK_FMT_CAP - strlen(buf) - 1);
    return buf;
  }
  return ck_fmt_rate(buf, r, q, true);
}

/* The numbers of a chart, in a small table under it: folded away, and
 * left out of print, since every chart draws a table its section has
 * just printed (a 12-page report printed each of them twice); a screen
 * reader reaches it in one step. */
static void data_table(FILE *o, size_t ncols, const char *const *head) {
  fputs("<details class=\"fd\"><summary>The chart's numbers (as in the "
        "table above)</summary>\n<div class=\"tw\"><table class=\"fd\">\n"
        "<thead><tr>",
        o);
  for (size_t c = 0; c < ncols; c++) {
    fputs(c == 0 ? "<th>" : "<th class=\"r\">", o);
    esc(o, head[c]);
    fputs("</th>", o);
  }
  fputs("</tr></thead>\n<tbody>\n", o);
}

static void data_row(FILE *o, size_t ncols, const char *const *cells) {
  fputs("<tr>", o);
  for (size_t c = 0; c < ncols; c++) {
    bool muted = strcmp(cells[c], CK_TXT_WITHHELD) == 0 ||
                 strcmp(cells[c], CK_TXT_NED) == 0;
    fputs(c == 0 ? (muted ? "<td class=\"w\">" : "<td>")
                 : (muted ? "<td class=\"r w\">" : "<td class=\"r\">"),
          o);
    esc(o, cells[c]);
    fputs("</td>", o);
  }
  fputs("</tr>\n", o);
}

static void data_end(FILE *o) {
  fputs("</tbody></table></div>\n</details>\n", o);
}

/* ---- chart 1: match rate by group ---- */

static const char *group_colour(enum ck_group_id g) {
  switch (g) {
  case CK_G_ALL:
    return C_BLACK;
  case CK_G_FAILED_FIRST:
  case CK_G_FAILED_THEN_PASSED:
  case CK_G_FAILED_NEVER_PASSED:
    return C_GREEN;
  case CK_G_LOW_PASS:
  case CK_G_LOW_PASS_NO_RETAKE:
    return C_BLUE;
  case CK_G_ABOVE_BAND:
  case CK_G_ABOVE_BELOW_AVERAGE:
  case CK_G_ABOVE_AROUND_AVERAGE:
  case CK_G_ABOVE_COMPETITIVE:
    return C_PURPLE;
  default:
    return C_ORANGE; /* low pass, retook and its categories */
  }
}

/* "Low pass, no retake: 86.5% matched (95% CI 78.2–91.9)" or "...: withheld".
 */
static void rate_sentence(char *buf, size_t cap, const struct ck_report *r,
                          const char *label, const struct ck_rate *q) {
  char v[CK_FMT_CAP];
  enum ck_shown s = ck_rate_state(r, q);
  ck_fmt_rate(v, r, q, false);
  if (s == CK_SHOWN) {
    /* "86.5% (95% CI ...)" -> "86.5% matched (95% CI ...)" */
    char *sp = strchr(v, ' ');
    if (sp != NULL) {
      *sp = '\0';
      snprintf(buf, cap, "%s: %s matched %s", label, v, sp + 1);
      return;
    }
  }
  snprintf(buf, cap, "%s: %s%s", label, v,
           s == CK_HIDDEN_DERIVED ? " (too few students to show)" : "");
}

/* A chart left out: one sentence where it would be, saying why. */
static void no_chart(struct html_doc *h, const char *why) {
  fputs("<p class=\"nc\">", h->d.out);
  esc(h->d.out, why);
  fputs("</p>\n", h->d.out);
}

static void chart_groups(struct html_doc *h, const struct ck_report *r) {
  size_t drawn = 0;
  double lab = 0; /* right end of the longest label */
  for (int g = 0; g < CK_G_COUNT; g++) {
    int depth = ck_group_depth((enum ck_group_id)g);
    double e = 8 + 12.0 * (depth > 0 ? depth - 1 : 0) +
               label_w(ck_group_label((enum ck_group_id)g));
    if (e > lab)
      lab = e;
    drawn += ck_rate_state(r, &r->groups[g].match_rate) == CK_SHOWN;
  }
  if (drawn == 0) {
    no_chart(h, "No chart of match rates by group: every group's match rate "
                "is withheld or has too few applicants.");
    return;
  }
  static const enum ck_group_id key[3] = {
      CK_G_LOW_PASS_NO_RETAKE, CK_G_LOW_PASS_RETOOK, CK_G_FAILED_THEN_PASSED};
  char take[1024] = "", s[400];
  for (int i = 0; i < 3; i++) {
    rate_sentence(s, sizeof s, r, ck_group_label(key[i]),
                  &r->groups[key[i]].match_rate);
    if (i > 0)
      strncat(take, "; ", sizeof take - strlen(take) - 1);
    strncat(take, s, sizeof take - strlen(take) - 1);
  }
  strncat(take, ".", sizeof take - strlen(take) - 1);

  struct fig f;
  double row = 22;
  double top = 34, ht = top + row * CK_G_COUNT + 46;
  fig_open(&f, h, 760, ht, "Match rate by first-attempt group", take);
  f.px0 = lab + LABEL_GAP;
  f.px1 = 740;
  f.py0 = top;
  f.py1 = top + row * CK_G_COUNT;
  plot_mark(&f);
  f.xlo = 0;
  f.xhi = 1;
  f.ylo = 0;
  f.yhi = 1;
  static const char *const ll[] = {"All", "Failed first attempt",
                                   "Low pass, no retake", "Low pass, retook",
                                   "Above the band"};
  static const char *const lc[] = {C_BLACK, C_GREEN, C_BLUE, C_ORANGE,
                                   C_PURPLE};
  legend(&f, 8, 14, 5, ll, lc);
  x_axis(&f, 0.2, true, "Matched (% of group), dot with 95% CI whisker");
  for (int g = 0; g < CK_G_COUNT; g++) {
    const struct ck_rate *q = &r->groups[g].match_rate;
    double y = top + row * (g + 0.5);
    int depth = ck_group_depth((enum ck_group_id)g);
    text_at(&f, 8 + 12.0 * (depth > 0 ? depth - 1 : 0), y + 4, NULL, "cl",
            ck_group_label((enum ck_group_id)g));
    if (ck_rate_state(r, q) == CK_SHOWN) {
      whisker(&f, fx(&f, q->est.lo), y, fx(&f, q->est.hi), y,
              fx(&f, q->est.estimate), y, group_colour((enum ck_group_id)g));
    } else {
      char b[CK_FMT_CAP];
      text_at(&f, f.px0 + 6, y + 4, NULL, "wl", absent_label(b, r, q));
    }
  }
  if (r->confidence != 0.95) {
    char c[CK_FMT_CAP], t[CK_FMT_CAP];
    snprintf(t, sizeof t, "whiskers: %s CI", ck_fmt_conf(c, r->confidence));
    text_at(&f, f.px1, 14, "end", "tl", t);
  }
  fig_svg_close(&f);
  char conf[CK_FMT_CAP], hd[CK_FMT_CAP];
  snprintf(hd, sizeof hd, "match rate (%s CI)",
           ck_fmt_conf(conf, r->confidence));
  const char *head[3] = {"Group", "n", hd};
  data_table(f.o, 3, head);
  for (int g = 0; g < CK_G_COUNT; g++) {
    char n[CK_FMT_CAP], m[CK_FMT_CAP];
    const char *cells[3] = {ck_group_label((enum ck_group_id)g),
                            ck_fmt_count(n, r, r->groups[g].n),
                            ck_fmt_rate(m, r, &r->groups[g].match_rate, true)};
    data_row(f.o, 3, cells);
  }
  data_end(f.o);
  fig_close(&f);
}

/* ---- chart 2: what low-pass applicants matched into ---- */

static const char *const into_labels[CK_INTO_NCOL] = {
    "Low pass, no retake", "Low pass, retook", "Failed, then passed"};
static const char *const into_colours[CK_INTO_NCOL] = {C_BLUE, C_ORANGE,
                                                       C_GREEN};

static void chart_into_rows(struct html_doc *h, const struct ck_report *r,
                            const char *title, const char *head0,
                            const char *what, const struct ck_into_row *rows,
                            size_t n) {
  /* takeaway: per column, the largest shown count (a withheld count may be
   * larger, so the sentence says "largest shown"), from the same cells as
   * the table under the chart */
  char take[1200] = "";
  long max = 0;
  for (int c = 0; c < CK_INTO_NCOL; c++) {
    long best = -1;
    size_t bi = 0, withheld = 0;
    for (size_t i = 0; i < n; i++) {
      size_t cell = rows[i].cells[c];
      if (ck_cell_is_shown(r, cell)) {
        long v = r->cells[cell].value;
        if (v > best) {
          best = v;
          bi = i;
        }
        if (v > max)
          max = v;
      } else {
        withheld++;
      }
    }
    char s[400];
    if (best > 0)
      snprintf(s, sizeof s, "%s: largest shown count %s (%ld)%s",
               into_labels[c], rows[bi].name ? rows[bi].name : "", best,
               withheld ? ", some counts withheld" : "");
    else if (best == 0)
      snprintf(s, sizeof s, "%s: none matched%s", into_labels[c],
               withheld ? " among the counts shown" : "");
    else
      snprintf(s, sizeof s, "%s: every count is withheld", into_labels[c]);
    if (c > 0)
      strncat(take, "; ", sizeof take - strlen(take) - 1);
    strncat(take, s, sizeof take - strlen(take) - 1);
  }
  strncat(take, ".", sizeof take - strlen(take) - 1);
  if (max == 0) {
    char why[300];
    snprintf(why, sizeof why,
             "No chart %s: every count in the table is "
             "withheld or zero.",
             what);
    no_chart(h, why);
    return;
  }
  /* label column from the longest name, at most 40% of the width; longer
   * names wrap to two lines (the table has them whole) */
  double lab = 0;
  for (size_t i = 0; i < n; i++)
    if (label_w(rows[i].name ? rows[i].name : "") > lab)
      lab = label_w(rows[i].name ? rows[i].name : "");
  if (lab > 300)
    lab = 300;

  struct fig f;
  double bar = 10, row = bar * CK_INTO_NCOL + 10, top = 34;
  fig_open(&f, h, 760, top + row * (double)n + 46, title, take);
  f.px0 = 8 + lab + LABEL_GAP;
  f.px1 = 740;
  f.py0 = top;
  f.py1 = top + row * (double)n;
  plot_mark(&f);
  f.xlo = 0;
  double step = nice_step(max > 0 ? (double)max : 10, 5, true);
  f.xhi = step * ceil((max > 0 ? (double)max : 10) / step);
  f.ylo = 0;
  f.yhi = 1;
  legend(&f, 8, 14, CK_INTO_NCOL, into_labels, into_colours);
  x_axis(&f, step, false, "Matched applicants (count)");
  for (size_t i = 0; i < n; i++) {
    double y0 = top + row * (double)i + 4.5;
    char l1[CK_FMT_CAP * 2], l2[CK_FMT_CAP * 2];
    label_lines(rows[i].name ? rows[i].name : "", lab, l1, l2, sizeof l1);
    if (l2[0]) {
      text_at(&f, 8, y0 + bar * 1.5 - 3, NULL, "cl", l1);
      text_at(&f, 8, y0 + bar * 1.5 + 11, NULL, "cl", l2);
    } else {
      text_at(&f, 8, y0 + bar * 1.5 + 4, NULL, "cl", l1);
    }
    for (int c = 0; c < CK_INTO_NCOL; c++) {
      size_t cell = rows[i].cells[c];
      double y = y0 + bar * c;
      if (ck_cell_is_shown(r, cell))
        rect(&f, f.px0, y, fx(&f, (double)r->cells[cell].value) - f.px0,
             bar - 1, into_colours[c]);
      else
        text_at(&f, f.px0 + 4, y + bar - 2, NULL, "ws", CK_TXT_WITHHELD);
    }
  }
  fig_svg_close(&f);
  const char *head[4] = {head0, into_labels[0], into_labels[1], into_labels[2]};
  data_table(f.o, 4, head);
  for (size_t i = 0; i < n; i++) {
    char a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP];
    const char *cells[4] = {rows[i].name ? rows[i].name : "",
                            ck_fmt_count(a, r, rows[i].cells[0]),
                            ck_fmt_count(b, r, rows[i].cells[1]),
                            ck_fmt_count(c, r, rows[i].cells[2])};
    data_row(f.o, 4, cells);
  }
  data_end(f.o);
  fig_close(&f);
}

static void chart_into(struct html_doc *h, const struct ck_report *r) {
  if (r->n_into > 0)
    chart_into_rows(h, r, "What matched applicants matched into, by specialty",
                    "Matched specialty", "by matched specialty", r->into,
                    r->n_into);
  struct ck_into_row progs[4];
  size_t n = 0;
  for (size_t i = 0; i < 4; i++)
    if (r->programs[i].name != NULL)
      progs[n++] = r->programs[i];
  if (n > 0)
    chart_into_rows(h, r,
                    "What matched applicants matched into, by program type",
                    "Program type", "by program type", progs, n);
}

/* ---- chart 3: score change categories ---- */

static void chart_score_change(struct html_doc *h, const struct ck_report *r,
                               const struct ck_score_change *s,
                               const char *who) {
  char take[600], a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP], cf[CK_FMT_CAP];
  size_t shown = 0;
  long max = 0;
  for (int k = 0; k < CK_CHANGE_NCAT; k++)
    if (ck_cell_is_shown(r, s->categories[k])) {
      shown++;
      if (r->cells[s->categories[k]].value > max)
        max = r->cells[s->categories[k]].value;
    }
  if (max == 0) {
    char why[300];
    snprintf(why, sizeof why,
             "No chart of score change for %c%s: every "
             "category count is withheld or zero.",
             who[0] | 0x20, who + 1);
    no_chart(h, why);
    return;
  }
  enum ck_stat_why said = ck_stats_why_said(r, s->why, s->n, s->categories);
  if (s->shown == CK_SHOWN && isfinite(s->mean.estimate) &&
      isfinite(s->mean.lo) && isfinite(s->mean.hi))
    snprintf(take, sizeof take, "%s: mean change %s points (%s CI %s to %s).",
             who, ck_fmt_change(a, s->mean.estimate),
             ck_fmt_conf(cf, r->confidence), ck_fmt_change(b, s->mean.lo),
             ck_fmt_change(c, s->mean.hi));
  else if (s->shown == CK_NOT_ENOUGH_DATA || s->shown == CK_SHOWN)
    snprintf(take, sizeof take, "%s: too few to estimate a mean change.", who);
  else if (said == CK_WHY_CATEGORIES)
    snprintf(take, sizeof take,
             "%s: the mean change is withheld, since with category counts "
             "withheld it would reveal them.",
             who);
  else if (said == CK_WHY_NESTED || said == CK_WHY_RELEASE)
    snprintf(take, sizeof take,
             "%s: the mean change is withheld, since subtracting %s would "
             "describe fewer than %zu students.",
             who,
             said == CK_WHY_NESTED ? "the low-pass retakers' statistics"
                                   : "an earlier release's statistics",
             r->min_cell);
  else
    snprintf(take, sizeof take,
             "%s: the mean change is withheld (too few "
             "students).",
             who);
  if (shown < CK_CHANGE_NCAT) {
    size_t len = strlen(take);
    snprintf(take + len, sizeof take - len,
             " %zu of %d category counts %s withheld.",
             (size_t)CK_CHANGE_NCAT - shown, CK_CHANGE_NCAT,
             CK_CHANGE_NCAT - shown == 1 ? "is" : "are");
  }
  char title[200];
  snprintf(title, sizeof title, "Score change on the retake: %s", who);
  struct fig f;
  fig_open(&f, h, 760, 310, title, take);
  f.px0 = 70;
  f.px1 = 740;
  f.py0 = 20;
  f.py1 = 240;
  plot_mark(&f);
  f.xlo = 0;
  f.xhi = CK_CHANGE_NCAT;
  double step = nice_step(max > 0 ? (double)max : 10, 5, true);
  f.ylo = 0;
  f.yhi = step * ceil((max > 0 ? (double)max : 10) / step);
  y_axis(&f, step, false, "Applicants (count)");
  line(&f, f.px0, f.py1, f.px1, f.py1, C_BLACK, 1, NULL);
  double slot = (f.px1 - f.px0) / CK_CHANGE_NCAT;
  for (int k = 0; k < CK_CHANGE_NCAT; k++) {
    size_t cell = s->categories[k];
    double x = f.px0 + slot * k;
    if (ck_cell_is_shown(r, cell)) {
      double v = (double)r->cells[cell].value;
      rect(&f, x + slot * 0.2, fy(&f, v), slot * 0.6, f.py1 - fy(&f, v),
           C_BLUE);
    } else {
      text_at(&f, x + slot / 2, f.py1 - 8, "middle", "wl", CK_TXT_WITHHELD);
    }
    /* "moderately higher (+11 to +19)" on two lines so labels never meet */
    const char *l = ck_change_label((enum ck_change_cat)k),
               *paren = strstr(l, " (");
    char first[CK_FMT_CAP];
    size_t len = paren ? (size_t)(paren - l) : strlen(l);
    if (len >= sizeof first)
      len = sizeof first - 1;
    memcpy(first, l, len);
    first[len] = '\0';
    text_at(&f, x + slot / 2, f.py1 + 15, "middle", "tl", first);
    if (paren)
      text_at(&f, x + slot / 2, f.py1 + 28, "middle", "tl", paren + 1);
  }
  text_at(&f, (f.px0 + f.px1) / 2, f.py1 + 46, "middle", "at",
          "Change in score, attempt 2 minus attempt 1 (points)");
  fig_svg_close(&f);
  const char *head[2] = {"Change (attempt 2 − attempt 1)", "n"};
  data_table(f.o, 2, head);
  for (int k = 0; k < CK_CHANGE_NCAT; k++) {
    char n[CK_FMT_CAP];
    const char *cells[2] = {ck_change_label((enum ck_change_cat)k),
                            ck_fmt_count(n, r, s->categories[k])};
    data_row(f.o, 2, cells);
  }
  data_end(f.o);
  fig_close(&f);
}

/* ---- chart 4: practice average -> retake score ---- */

static void chart_regression(struct html_doc *h, const struct ck_report *r,
                             const struct ck_regression *g, const char *who) {
  char title[200];
  snprintf(title, sizeof title,
           "Practice average and predicted retake score: %s", who);
  size_t np =
      g->n_pred < CK_MAX_PRACTICE_POINTS ? g->n_pred : CK_MAX_PRACTICE_POINTS;
  bool ok = g->shown == CK_SHOWN && isfinite(g->intercept) &&
            isfinite(g->slope) && np >= 2;
  for (size_t i = 0; ok && i < np; i++)
    ok = isfinite(g->pred[i].fit.estimate) && isfinite(g->pred[i].fit.lo) &&
         isfinite(g->pred[i].fit.hi);
  FILE *o = h->d.out;
  if (!ok) {
    /* nothing to draw: say so where the chart would be */
    char why[300];
    snprintf(why, sizeof why,
             "No chart of practice average and retake "
             "score for %c%s: %s.",
             who[0] | 0x20, who + 1,
             g->shown == CK_SHOWN || g->shown == CK_NOT_ENOUGH_DATA
                 ? "too few of them have a practice average to fit a line"
                 : "the fitted line is withheld (too few students)");
    no_chart(h, why);
    return;
  }
  char a[CK_FMT_CAP], b[CK_FMT_CAP], c[CK_FMT_CAP], d[CK_FMT_CAP],
      cf[CK_FMT_CAP];
  const struct ck_prediction *mid = &g->pred[np / 2];
  char take[600];
  snprintf(take, sizeof take,
           "%s: each practice point adds %s points to the predicted retake "
           "score; at a practice average of %d the prediction is %s (%s "
           "prediction interval %s–%s).",
           who, ck_fmt_stat(a, g->slope), mid->practice,
           ck_fmt_score(b, mid->fit.estimate), ck_fmt_conf(cf, r->confidence),
           ck_fmt_score(c, mid->fit.lo), ck_fmt_score(d, mid->fit.hi));
  double xlo = g->pred[0].practice, xhi = g->pred[np - 1].practice;
  double ylo = INFINITY, yhi = -INFINITY;
  for (size_t i = 0; i < np; i++) {
    if (g->pred[i].practice < xlo)
      xlo = g->pred[i].practice;
    if (g->pred[i].practice > xhi)
      xhi = g->pred[i].practice;
    if (g->pred[i].fit.lo < ylo)
      ylo = g->pred[i].fit.lo;
    if (g->pred[i].fit.hi > yhi)
      yhi = g->pred[i].fit.hi;
  }
  struct fig f;
  fig_open(&f, h, 760, 320, title, take);
  f.px0 = 70;
  f.px1 = 740;
  f.py0 = 36;
  f.py1 = 260;
  plot_mark(&f);
  double xs = nice_step(xhi - xlo, 6, true), ys = nice_step(yhi - ylo, 5, true);
  f.xlo = xs * floor(xlo / xs);
  f.xhi = xs * ceil(xhi / xs);
  if (f.xhi <= f.xlo)
    f.xhi = f.xlo + xs;
  f.ylo = ys * floor(ylo / ys);
  f.yhi = ys * ceil(yhi / ys);
  if (f.yhi <= f.ylo)
    f.yhi = f.ylo + ys;
  char lbl[CK_FMT_CAP];
  snprintf(lbl, sizeof lbl, "%s prediction band",
           ck_fmt_conf(cf, r->confidence));
  const char *ll[2] = {"fitted line", lbl};
  const char *lc[2] = {C_BLUE, "#9ecae1"};
  legend(&f, f.px0, 14, 2, ll, lc);
  y_axis(&f, ys, false, "Retake Step 2 CK score");
  x_axis(&f, xs, false, "Practice-exam average before the retake");
  /* band: upper edge left to right, lower edge back */
  fputs("<polygon fill=\"#56B4E9\" fill-opacity=\"0.35\" stroke=\"none\" "
        "points=\"",
        o);
  for (size_t i = 0; i < np; i++)
    fprintf(o, "%s,%s ", co(a, fx(&f, g->pred[i].practice)),
            co(b, fy(&f, g->pred[i].fit.hi)));
  for (size_t i = np; i-- > 0;)
    fprintf(o, "%s,%s ", co(a, fx(&f, g->pred[i].practice)),
            co(b, fy(&f, g->pred[i].fit.lo)));
  fputs("\"/>\n", o);
  fprintf(
      o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"",
      C_BLUE);
  for (size_t i = 0; i < np; i++)
    fprintf(o, "%s,%s ", co(a, fx(&f, g->pred[i].practice)),
            co(b, fy(&f, g->pred[i].fit.estimate)));
  fputs("\"/>\n", o);
  fig_svg_close(&f);
  snprintf(lbl, sizeof lbl, "%s prediction interval",
           ck_fmt_conf(cf, r->confidence));
  const char *head[4] = {"Practice average", "predicted retake score", lbl,
                         "note"};
  data_table(o, 4, head);
  for (size_t i = 0; i < np; i++) {
    const struct ck_prediction *p = &g->pred[i];
    char x[32], pi[2 * CK_FMT_CAP + 8];
    snprintf(x, sizeof x, "%d", p->practice);
    snprintf(pi, sizeof pi, "%s–%s", ck_fmt_score(b, p->fit.lo),
             ck_fmt_score(c, p->fit.hi));
    const char *cells[4] = {x, ck_fmt_score(a, p->fit.estimate), pi,
                            p->practice < g->x_min || p->practice > g->x_max
                                ? "outside the data"
                                : ""};
    data_row(o, 4, cells);
  }
  data_end(o);
  fig_close(&f);
}

/* ---- chart 5: match rate by Match year ---- */

static void chart_years(struct html_doc *h, const struct ck_report *r) {
  if (r->n_years == 0)
    return;
  size_t any = 0;
  for (size_t i = 0; i < r->n_years; i++)
    any += ck_rate_state(r, &r->years[i].match_rate) == CK_SHOWN;
  if (any == 0) {
    no_chart(h, "No chart of match rates by year: every year's rate is "
                "withheld or has too few applicants.");
    return;
  }
  char take[600], a[CK_FMT_CAP], b[CK_FMT_CAP];
  size_t lo = (size_t)-1, hi = (size_t)-1, shown = 0;
  for (size_t i = 0; i < r->n_years; i++)
    if (ck_rate_state(r, &r->years[i].match_rate) == CK_SHOWN) {
      shown++;
      double e = r->years[i].match_rate.est.estimate;
      if (lo == (size_t)-1 || e < r->years[lo].match_rate.est.estimate)
        lo = i;
      if (hi == (size_t)-1 || e > r->years[hi].match_rate.est.estimate)
        hi = i;
    }
  if (shown >= 2)
    snprintf(
        take, sizeof take,
        "Across the %zu Match years shown, the match rate ranged from %s "
        "(%d) to %s (%d)%s.",
        shown, ck_fmt_pct(a, r->years[lo].match_rate.est.estimate),
        r->years[lo].year, ck_fmt_pct(b, r->years[hi].match_rate.est.estimate),
        r->years[hi].year,
        shown < r->n_years ? "; the rates of other years are withheld" : "");
  else if (shown == 1)
    snprintf(take, sizeof take, "Only the match rate of %d is shown: %s.",
             r->years[lo].year,
             ck_fmt_pct(a, r->years[lo].match_rate.est.estimate));
  else
    snprintf(take, sizeof take,
             "The match rates by year are withheld or "
             "there are not enough data.");
  const struct ck_trend *tr = &r->trend;
  if (tr->shown == CK_SHOWN && isfinite(tr->change_per_year) &&
      isfinite(tr->p)) {
    size_t len = strlen(take);
    snprintf(take + len, sizeof take - len,
             " Trend: %s percentage points a year (p %s%s).",
             ck_fmt_pp(a, tr->change_per_year), tr->p < 0.001 ? "" : "= ",
             ck_fmt_p(b, tr->p));
  }
  struct fig f;
  fig_open(&f, h, 760, 300, "Match rate by Match year", take);
  f.px0 = 70;
  f.px1 = 740;
  f.py0 = 20;
  f.py1 = 240;
  plot_mark(&f);
  f.xlo = 0;
  f.xhi = (double)r->n_years;
  f.ylo = 0;
  f.yhi = 1;
  y_axis(&f, 0.2, true, "Matched (% of applicants)");
  double slot = (f.px1 - f.px0) / (double)r->n_years;
  for (size_t i = 0; i < r->n_years; i++) {
    const struct ck_rate *q = &r->years[i].match_rate;
    double x = f.px0 + slot * ((double)i + 0.5);
    char yr[16];
    snprintf(yr, sizeof yr, "%d", r->years[i].year);
    line(&f, x, f.py1, x, f.py1 + 4, C_BLACK, 1, NULL);
    text_at(&f, x, f.py1 + 16, "middle", "tl", yr);
    if (ck_rate_state(r, q) == CK_SHOWN) {
      whisker(&f, x, fy(&f, q->est.lo), x, fy(&f, q->est.hi), x,
              fy(&f, q->est.estimate), C_BLUE);
    } else {
      char l[CK_FMT_CAP], t[CK_FMT_CAP];
      absent_label(l, r, q);
      fprintf(f.o,
              "<text transform=\"translate(%s %s) rotate(-90)\" "
              "class=\"wl\">",
              co(t, x + 4), co(a, f.py1 - 8));
      esc(f.o, l);
      fputs("</text>\n", f.o);
    }
  }
  text_at(&f, (f.px0 + f.px1) / 2, f.py1 + 34, "middle", "at",
          "Match year (dot: match rate; whisker: 95% CI)");
  fig_svg_close(&f);
  char cf[CK_FMT_CAP], hd[CK_FMT_CAP];
  snprintf(hd, sizeof hd, "match rate (%s CI)", ck_fmt_conf(cf, r->confidence));
  const char *head[3] = {"Match year", "n", hd};
  data_table(f.o, 3, head);
  for (size_t i = 0; i < r->n_years; i++) {
    char yr[16], n[CK_FMT_CAP], m[CK_FMT_CAP];
    snprintf(yr, sizeof yr, "%d", r->years[i].year);
    const char *cells[3] = {yr, ck_fmt_count(n, r, r->years[i].n),
                            ck_fmt_rate(m, r, &r->years[i].match_rate, true)};
    data_row(f.o, 3, cells);
  }
  data_end(f.o);
  fig_close(&f);
}

static void h_figure(struct ck_doc *d, const char *id,
                     const struct ck_report *r) {
  block_start(d);
  struct html_doc *h = (struct html_doc *)d;
  if (strcmp(id, "groups") == 0)
    chart_groups(h, r);
  else if (strcmp(id, "matched_into") == 0)
    chart_into(h, r);
  else if (strcmp(id, "score_change") == 0)
    chart_score_change(h, r, &r->score_change, "Low-pass retakers");
  else if (strcmp(id, "score_change_all_retakers") == 0)
    chart_score_change(h, r, &r->score_change_all,
                       "All applicants with a second attempt");
  else if (strcmp(id, "practice_regression") == 0)
    chart_regression(h, r, &r->regression, "Low-pass retakers");
  else if (strcmp(id, "practice_regression_all_retakers") == 0)
    chart_regression(h, r, &r->regression_all,
                     "All applicants with a second attempt");
  else if (strcmp(id, "by_year") == 0)
    chart_years(h, r);
  else if (r->meta != NULL)
    ck_html_forest(d->out, r, id); /* a comparison across schools */
  keep_close(d);
}

/* ---- the ask sheet's chart: match rate of each group ---- */

static void h_ask_figure(struct ck_doc *d, const struct ck_ask *a) {
  struct html_doc *h = (struct html_doc *)d;
  block_start(d);
  const struct ck_report *m = a->model;
  size_t drawn = 0;
  double lab = 0;
  for (size_t i = 0; i < a->n_groups; i++) {
    if (label_w(a->groups[i].label) > lab)
      lab = label_w(a->groups[i].label);
    drawn += a->groups[i].found &&
             ck_rate_state(m, &a->groups[i].match_rate) == CK_SHOWN;
  }
  if (drawn == 0) {
    no_chart(h, "No chart of match rates: no group's match rate can be "
                "shown.");
    keep_close(d);
    return;
  }
  if (lab > 330)
    lab = 330; /* longer labels wrap to two lines */
  char take[1200] = "", one[400];
  for (size_t i = 0; i < a->n_groups; i++) {
    const struct ck_ask_group *g = &a->groups[i];
    if (g->found)
      rate_sentence(one, sizeof one, m, g->label, &g->match_rate);
    else
      snprintf(one, sizeof one, "%s: no group could be shown", g->label);
    if (i > 0)
      strncat(take, "; ", sizeof take - strlen(take) - 1);
    strncat(take, one, sizeof take - strlen(take) - 1);
  }
  strncat(take, ".", sizeof take - strlen(take) - 1);
  struct fig f;
  double row = 36, top = 14;
  fig_open(&f, h, 760, top + row * (double)a->n_groups + 46,
           "Match rate of the groups above", take);
  f.px0 = 8 + lab + LABEL_GAP;
  f.px1 = 740;
  f.py0 = top;
  f.py1 = top + row * (double)a->n_groups;
  f.xlo = 0;
  f.xhi = 1;
  f.ylo = 0;
  f.yhi = 1;
  plot_mark(&f);
  char cf[CK_FMT_CAP], axis[CK_FMT_CAP * 2];
  snprintf(axis, sizeof axis, "Matched (%% of group), dot with %s CI whisker",
           ck_fmt_conf(cf, a->confidence));
  x_axis(&f, 0.2, true, axis);
  for (size_t i = 0; i < a->n_groups; i++) {
    const struct ck_ask_group *g = &a->groups[i];
    double y = top + row * ((double)i + 0.5);
    char l1[CK_FMT_CAP * 2], l2[CK_FMT_CAP * 2];
    label_lines(g->label, lab, l1, l2, sizeof l1);
    text_at(&f, 8, l2[0] ? y - 3 : y + 4, NULL, "cl", l1);
    if (l2[0])
      text_at(&f, 8, y + 11, NULL, "cl", l2);
    if (g->found && ck_rate_state(m, &g->match_rate) == CK_SHOWN) {
      const struct ck_est *e = &g->match_rate.est;
      whisker(&f, fx(&f, e->lo), y, fx(&f, e->hi), y, fx(&f, e->estimate), y,
              g->kind == CK_ASK_THEN_PASSED || g->kind == CK_ASK_NEVER_PASSED
                  ? C_GREEN
              : g->kind == CK_ASK_RETOOK ? C_ORANGE
                                         : C_BLUE);
    } else {
      char b[CK_FMT_CAP];
      text_at(&f, f.px0 + 6, y + 4, NULL, "wl",
              g->found ? absent_label(b, m, &g->match_rate)
                       : "no group could be shown");
    }
  }
  fig_svg_close(&f);
  fig_close(&f);
  keep_close(d);
}

static const struct ck_doc_ops html_ops = {h_heading, h_para,   h_item,
                                           h_table,   h_figure, h_ask_figure};

/* Screen and print styles.  Print: Letter and A4 both fit a 7.5in-wide
 * column; a heading or lead-in stays with what follows it (.kt), figures
 * and tables of up to LONG_TABLE_ROWS rows never split, longer tables
 * repeat their header row. */
static const char *const css =
    "body{font-family:\"DejaVu Sans\",\"Liberation "
    "Sans\",Arial,Helvetica,sans-serif;"
    "font-size:14px;line-height:1.45;color:#111;max-width:60em;margin:1.5em "
    "auto;"
    "padding:0 1em}\n"
    "h1{font-size:1.6em;margin:.2em 0 .6em}h2{font-size:1.3em;margin-top:1.6em;"
    "border-bottom:1px solid #bbb;padding-bottom:.15em}h3{font-size:1.1em}\n"
    "p.gen{color:#444;margin-top:-.3em}\n"
    ".tw{overflow-x:auto}\n"
    "table{border-collapse:collapse;margin:.6em 0 1em;font-size:.9em}\n"
    "th,td{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left;"
    "vertical-align:top}\n"
    "th{border-bottom:2px solid #666;background:#f3f3f3}\n"
    ".r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "\n"
    ".nw{white-space:nowrap}\n"
    ".w{color:#595959;font-style:italic}\n"
    "figure.chart{margin:1.2em 0 1.6em;padding:.6em .8em;border:1px solid #ccc;"
    "border-radius:4px}\n"
    "figcaption .ft{display:block;font-weight:bold;font-size:1.05em}\n"
    "figcaption .tk{display:block;margin:.2em 0 .4em}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "svg text{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;"
    "font-size:12px;fill:#111}\n"
    "svg .tl{font-size:11px}svg .at{font-size:12px;font-weight:bold}"
    "svg .lg{font-size:11.5px}svg .cl{font-size:12px}\n"
    "svg .wl{font-size:11px;font-style:italic;fill:#595959}"
    "svg .ws{font-size:9px;font-style:italic;fill:#595959}\n"
    "svg .bar{fill:#0072B2}svg .ci{stroke:#000;stroke-width:2}"
    "svg .grid{stroke:#d9d9d9}\n"
    "table.fd{font-size:.85em}\n"
    "details.fd summary{cursor:pointer;color:#444;font-size:.85em;"
    "margin-top:.4em}\n"
    "dl.gl dt{font-weight:bold;margin-top:.4em}dl.gl dd{margin-left:1.5em}\n"
    "@media "
    "print{body{font-size:9.5pt;line-height:1.35;max-width:none;margin:0;"
    "padding:0}"
    "h2{margin-top:1.1em}"
    "h1,h2,h3,h4,p.li{break-after:avoid;page-break-after:avoid}"
    ".kt,figure.chart,.tw:not(.long),tr,dl.gl div{break-inside:avoid;"
    "page-break-inside:avoid}"
    "thead{display:table-header-group}"
    "table{font-size:.82em}th,td{padding:.12em .35em}"
    ".r{white-space:normal}"
    "figure.chart{border:none;padding:0;margin:.8em 0 1em}"
    "details.fd{display:none}"
    ".tw{overflow:visible}}\n";

/* A CSS string's contents: quotes, backslashes, markup and control
 * characters as CSS escapes, so no input text can end the string or the
 * <style> element. */
static void css_string(FILE *o, const char *s) {
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\' || *p == '<' || *p == '>' || *p == '&' ||
        *p < 0x20 || *p == 0x7f)
      fprintf(o, "\\%X ", *p < 0x20 || *p == 0x7f ? 0x20u : (unsigned)*p);
    else
      fputc(*p, o);
  }
}

enum ck_status ck_doc_run_html(FILE *out, const struct ck_page *pg,
                               ck_doc_body_fn body, const void *arg) {
  if (out == NULL || pg == NULL || body == NULL)
    return CK_EUSAGE;
  char gen[CK_FMT_CAP];
  ck_fmt_day(gen, pg->generated);
  fputs(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<title>",
      out);
  esc(out, pg->title);
  fputs("</title>\n<style>\n", out);
  fputs(css, out);
  /* the running header and footer of every printed page */
  fputs("@page{size:auto;margin:17mm 14mm 16mm;"
        "@top-left{content:\"",
        out);
  css_string(out, pg->title);
  fputs("\";font:8pt \"DejaVu Sans\",Arial,sans-serif;color:#444}"
        "@top-right{content:\"",
        out);
  css_string(out, pg->cohort);
  fputs("\";font:8pt \"DejaVu Sans\",Arial,sans-serif;color:#444}"
        "@bottom-left{content:\"",
        out);
  if (gen[0]) {
    css_string(out, "Generated ");
    css_string(out, gen);
  }
  fputs("\";font:8pt \"DejaVu Sans\",Arial,sans-serif;color:#444}"
        "@bottom-right{content:\"page \" counter(page) \" of \" counter(pages);"
        "font:8pt \"DejaVu Sans\",Arial,sans-serif;color:#444}}\n",
        out);
  fputs("</style>\n</head>\n<body>\n<main>\n", out);
  struct html_doc h = {{out, &html_ops, false}, 0, false, false, false};
  enum ck_status st = body(&h.d, arg);
  close_list(&h.d);
  keep_close(&h.d);
  fputs("</main>\n</body>\n</html>\n", out);
  if (st == CK_OK && (fflush(out) != 0 || ferror(out)))
    st = CK_EIO;
  return st;
}

static enum ck_status ask_body(struct ck_doc *d, const void *a) {
  return ck_ask_doc(d, a);
}

enum ck_status ck_ask_render_html(FILE *out, const struct ck_ask *a) {
  if (out == NULL || a == NULL || a->model == NULL || !a->model->checked)
    return CK_EUSAGE;
  char cohort[256];
  ck_page_cohort_line(cohort, sizeof cohort, a->n_inputs, a->records,
                      a->year_min, a->year_max);
  struct ck_page pg = {"Step 2 CK: evidence sheet for one student", cohort,
                       a->generated};
  return ck_doc_run_html(out, &pg, ask_body, a);
}

static enum ck_status report_body(struct ck_doc *d, const void *r) {
  return ck_render_doc(d, r);
}

enum ck_status ck_render_html(FILE *out, const struct ck_report *r) {
  if (out == NULL || r == NULL || !r->checked)
    return CK_EUSAGE;
  char cohort[256];
  ck_page_cohort_line(cohort, sizeof cohort, r->n_inputs, r->accepted,
                      r->year_min, r->year_max);
  struct ck_page pg = {
      "ckcohort report — Step 2 CK low pass and Match outcomes", cohort,
      r->generated};
  return ck_doc_run_html(out, &pg, report_body, r);
}
