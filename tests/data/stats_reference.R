# stats_reference.R - regenerates every reference number in
# tests/unit/test_stats.c (documentation for reviewers).
# SPDX-License-Identifier: MIT
#
#   Rscript tests/data/stats_reference.R > /tmp/ref.txt
#
# Produced with R 4.2.2.  Each block prints, for every fixture, a C comment
# holding the exact R command and its result at %.17g, then the C initialiser
# pasted into the fixture tables of test_stats.c.
#
# Fisher's exact test: R's fisher.test finds the conditional MLE and the
# confidence limits with uniroot(tol = .Machine$double.eps^0.25 ~ 1.2e-4), so
# its odds ratios are only as precise as that tolerance.  We print both R's
# own numbers (checked in C at 1e-6 relative, see test_stats.c) and those of
# the same R code with uniroot run to machine precision ("fisher.tight", the
# exact roots; checked in C at 1e-9 relative).

g <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
gi <- function(v) paste(ifelse(is.infinite(v), "INFINITY", sprintf("%.17g", v)),
                        collapse = ", ")
cm <- function(cmd, val) cat(sprintf("  /* R 4.2.2: %s -> %s */\n", cmd, gi(val)))

# fisher.test with uniroot at machine precision (same code otherwise).
fisher.tight <- stats::fisher.test
environment(fisher.tight) <- list2env(
  list(uniroot = function(...) stats::uniroot(..., tol = 1e-15, maxiter = 10000)),
  parent = environment(stats::fisher.test))

## Proportions ------------------------------------------------------------
props <- list(c(7, 20, .95), c(0, 20, .95), c(20, 20, .95), c(1, 1, .95),
              c(0, 1, .90), c(300, 400, .95), c(50, 100, .99), c(3, 7, .80),
              c(1, 1000, .95), c(2, 260, .95), c(284, 291, .95))
cat("/* Wilson: {x, n, conf, estimate, lo, hi} */\n")
for (f in props) {
  cmd <- sprintf("prop.test(%d, %d, conf.level = %g, correct = FALSE)$conf.int",
                 f[1], f[2], f[3])
  ci <- suppressWarnings(eval(parse(text = cmd)))
  cm(cmd, ci)
  cat(sprintf("  {%d, %d, %g, %s, %s},\n", f[1], f[2], f[3], g(f[1] / f[2]), g(ci)))
}
cat("/* Clopper-Pearson: {x, n, conf, estimate, lo, hi} */\n")
for (f in props) {
  cmd <- sprintf("binom.test(%d, %d, conf.level = %g)$conf.int", f[1], f[2], f[3])
  ci <- eval(parse(text = cmd))
  cm(cmd, ci)
  cat(sprintf("  {%d, %d, %g, %s, %s},\n", f[1], f[2], f[3], g(f[1] / f[2]), g(ci)))
}

## Newcombe hybrid score interval (method 10) ------------------------------
# R expression, from the two prop.test(correct = FALSE) intervals:
newcombe <- function(x1, n1, x2, n2, conf) {
  w1 <- prop.test(x1, n1, conf.level = conf, correct = FALSE)$conf.int
  w2 <- prop.test(x2, n2, conf.level = conf, correct = FALSE)$conf.int
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2),
       d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
cat("/* Newcombe: {x1, n1, x2, n2, conf, d, lo, hi}; newcombe() as defined in",
    "tests/data/stats_reference.R */\n")
for (f in list(c(7, 20, 3, 25, .95), c(0, 10, 0, 12, .95), c(10, 10, 0, 10, .95),
               c(300, 400, 50, 100, .95), c(5, 5, 2, 9, .90), c(56, 70, 48, 80, .95))) {
  cmd <- sprintf("newcombe(%d, %d, %d, %d, %g)", f[1], f[2], f[3], f[4], f[5])
  r <- suppressWarnings(eval(parse(text = cmd)))
  cm(cmd, r)
  cat(sprintf("  {%d, %d, %d, %d, %g, %s},\n", f[1], f[2], f[3], f[4], f[5], g(r)))
}

## Fisher ------------------------------------------------------------------
cat("/* Fisher: {a, b, c, d, conf, p, or, lo, hi (R fisher.test)},",
    "then the same with uniroot at machine precision */\n")
for (f in list(c(3, 1, 1, 3, .95), c(0, 5, 5, 0, .95), c(5, 0, 0, 5, .95),
               c(0, 10, 3, 7, .95), c(7, 3, 0, 10, .95), c(300, 100, 50, 50, .95),
               c(10, 2, 3, 15, .95), c(1, 9, 11, 3, .95), c(2, 7, 8, 2, .90),
               c(12, 5, 6, 14, .99), c(1, 0, 0, 1, .95), c(20, 480, 5, 495, .95),
               c(1500, 2500, 1200, 2800, .95), c(4, 4, 4, 4, .95))) {
  m <- sprintf("matrix(c(%d, %d, %d, %d), 2)", f[1], f[3], f[2], f[4])
  for (fn in c("fisher.test", "fisher.tight")) {
    cmd <- sprintf("%s(%s, conf.level = %g)", fn, m, f[5])
    r <- eval(parse(text = cmd))
    v <- c(r$p.value, r$estimate, r$conf.int)
    cm(paste0(cmd, "[c(\"p.value\", \"estimate\", \"conf.int\")]"), v)
    cat(sprintf("  {%d, %d, %d, %d, %g, %s},\n", f[1], f[2], f[3], f[4], f[5], gi(v)))
  }
}

## Means, sd, quantiles ----------------------------------------------------
vecs <- list(v1 = c(1, 2, 3, 4, 10), v2 = c(5.5, 6.1),
             v3 = c(-3, 0, 2.5, 7, 7, 9.25, 11),
             v4 = c(201, 215, 222, 198, 240, 231, 209, 226, 219, 233, 205, 244))
for (nm in names(vecs)) cat(sprintf("static const double %s[] = {%s};\n", nm, g(vecs[[nm]])))
cat("/* t: {x, n, conf, mean, lo, hi} */\n")
for (f in list(list("v1", .95), list("v2", .95), list("v3", .90), list("v4", .99),
               list("v4", .95))) {
  x <- vecs[[f[[1]]]]
  cmd <- sprintf("t.test(c(%s), conf.level = %g)$conf.int", paste(x, collapse = ", "), f[[2]])
  ci <- eval(parse(text = cmd))
  cm(cmd, c(mean(x), ci))
  cat(sprintf("  {%s, %d, %g, %s, %s},\n", f[[1]], length(x), f[[2]], g(mean(x)), g(ci)))
}
cat("/* sd: {x, n, sd} */\n")
for (nm in names(vecs)) {
  x <- vecs[[nm]]
  cm(sprintf("sd(c(%s))", paste(x, collapse = ", ")), sd(x))
  cat(sprintf("  {%s, %d, %s},\n", nm, length(x), g(sd(x))))
}
qv <- list(q1 = c(3, 1, 4, 1, 5, 9, 2, 6), q2 = c(42), q3 = c(7, 7, 7, 2, 2))
for (nm in names(qv)) cat(sprintf("static const double %s[] = {%s};\n", nm, g(qv[[nm]])))
cat("/* quantile: {x, n, p, q} */\n")
for (f in list(list("q1", 0), list("q1", .1), list("q1", .25), list("q1", .5),
               list("q1", .9), list("q1", 1), list("q2", .3), list("q3", .5),
               list("q3", .3), list("v4", .75), list("v3", 1/3))) {
  x <- c(vecs, qv)[[f[[1]]]]
  cmd <- sprintf("quantile(c(%s), %.17g, type = 7)", paste(x, collapse = ", "), f[[2]])
  q <- unname(eval(parse(text = cmd)))
  cm(cmd, q)
  cat(sprintf("  {%s, %d, %s, %s},\n", f[[1]], length(x), g(f[[2]]), g(q)))
}

## Wilcoxon signed rank ----------------------------------------------------
wv <- list(w1 = c(1.5, -0.3, 2.2, 3.1, -1.1, 4.8, 0.9, 2.7, -0.6, 5.2),  # exact
           w2 = c(2.5),                                                  # exact, n = 1
           w3 = 1:8,                                                     # exact, all +
           w4 = c(1, -1, 2, 2, 3, -4, 5, 6, 6, 7),                       # ties -> normal
           w5 = c(0, 1.2, -0.4, 2.3, 3.4, 0, 4.5, -5.6, 6.7),            # zeros -> normal
           w6 = ((1:55) * 0.37 - 6) * ((-1)^(1:55) * 0.2 + 1),           # n >= 50 -> normal
           w7 = ((1:49) * 0.61 - 9.1),                                   # n = 49 exact
           w8 = c(0, 0, 3, -3, 3, 1),                                    # zeros and ties
           w9 = -c(1.5, -0.3, 2.2, 3.1, -1.1, 4.8, 0.9, 2.7, -0.6, 5.2), # exact, V below mean
           w10 = (1:50) * 0.7 - 12.05,                                   # n = 50 -> normal
           w11 = c(1:24, -(1:24), 30))                                   # n = 49, ties -> normal
for (nm in names(wv)) cat(sprintf("static const double %s[] = {%s};\n", nm, g(wv[[nm]])))
cat("/* Wilcoxon: {d, n, p, exact} */\n")
for (nm in names(wv)) {
  x <- wv[[nm]]
  r <- suppressWarnings(wilcox.test(x))
  ex <- grepl("exact", r$method)
  cm(sprintf("wilcox.test(%s)$p.value  [%s]", nm, r$method), r$p.value)
  cat(sprintf("  {%s, %d, %s, %s},\n", nm, length(x), g(r$p.value), if (ex) "true" else "false"))
}

## Linear regression and prediction intervals ------------------------------
lx <- list(l1x = c(1, 2, 3, 4, 5, 6), l1y = c(2.1, 3.9, 6.2, 7.8, 10.1, 12.2),
           l2x = c(200, 215, 230, 245, 210, 238, 222, 251),
           l2y = c(0.61, 0.70, 0.78, 0.93, 0.64, 0.85, 0.80, 0.95),
           l3x = c(0, 1, 2), l3y = c(1, 3, 2))
for (nm in names(lx)) cat(sprintf("static const double %s[] = {%s};\n", nm, g(lx[[nm]])))
cat("/* lm: {x, y, n, intercept, slope, r2, sigma, cov00, cov01, cov11} */\n")
for (p in list(c("l1x", "l1y"), c("l2x", "l2y"), c("l3x", "l3y"))) {
  x <- lx[[p[1]]]; y <- lx[[p[2]]]
  fit <- lm(y ~ x); s <- summary(fit); v <- vcov(fit)
  r <- c(coef(fit), s$r.squared, s$sigma, v[1, 1], v[1, 2], v[2, 2])
  cm(sprintf("fit <- lm(%s ~ %s); c(coef(fit), summary(fit)$r.squared, summary(fit)$sigma, vcov(fit)[c(1, 3, 4)])",
             p[2], p[1]), r)
  cat(sprintf("  {%s, %s, %d, %s},\n", p[1], p[2], length(x), g(r)))
}
cat("/* predict: {x, y, n, x0, conf, fit, lwr, upr} */\n")
for (p in list(list("l1x", "l1y", 3.5, .95), list("l1x", "l1y", 10, .90),
               list("l2x", "l2y", 214, .95), list("l2x", "l2y", 180, .99),
               list("l3x", "l3y", 1, .95))) {
  x <- lx[[p[[1]]]]; y <- lx[[p[[2]]]]
  fit <- lm(y ~ x)
  r <- predict(fit, data.frame(x = p[[3]]), interval = "prediction", level = p[[4]])
  cm(sprintf("predict(lm(%s ~ %s), data.frame(x = %g), interval = \"prediction\", level = %g)",
             p[[2]], p[[1]], p[[3]], p[[4]]), r)
  cat(sprintf("  {%s, %s, %d, %g, %g, %s},\n", p[[1]], p[[2]], length(x), p[[3]], p[[4]], g(r)))
}

## Trend in proportions ----------------------------------------------------
cat("/* trend: {k, x, n, s, chi2, p} */\n")
for (f in list(list(c(15, 10, 8, 4), c(30, 30, 30, 30), 1:4),
               list(c(15, 10, 8, 4), c(30, 30, 30, 30), c(200, 210, 225, 240)),
               list(c(2, 9), c(40, 35), c(1, 2)),
               list(c(15, 10, 0, 4), c(30, 30, 0, 30), 1:4),
               list(c(300, 120, 40), c(400, 200, 100), c(0, 1, 3)))) {
  cmd <- sprintf("prop.trend.test(c(%s), c(%s), score = c(%s))",
                 paste(f[[1]], collapse = ", "), paste(f[[2]], collapse = ", "),
                 paste(f[[3]], collapse = ", "))
  r <- eval(parse(text = cmd))
  cm(paste0(cmd, "[c(\"statistic\", \"p.value\")]"), c(r$statistic, r$p.value))
  cat(sprintf("  {%d, {%s}, {%s}, {%s}, %s, %s},\n", length(f[[1]]),
              paste(f[[1]], collapse = ", "), paste(f[[2]], collapse = ", "),
              g(f[[3]]), g(r$statistic), g(r$p.value)))
}
