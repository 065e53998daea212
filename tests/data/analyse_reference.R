# analyse_reference.R - reference figures for tests/unit/test_analyse.c
# Run: Rscript tests/data/analyse_reference.R   (R 4.x, base packages only)
# Rows of analyse_fixture.csv with a first score are the cohort; the pass
# mark is 214 for every row (undated, Match 2023 and 2024), low pass 214..220.
options(digits = 17)
d <- read.csv("tests/data/analyse_fixture.csv", stringsAsFactors = FALSE,
              na.strings = "")
d <- d[!is.na(suppressWarnings(as.integer(d$step2_attempt_1))), ]
d$s1 <- as.integer(d$step2_attempt_1)
d$s2 <- d$step2_attempt_2
d$m <- d$matched == "Y"
lp <- d$s1 >= 214 & d$s1 <= 220
ret <- !is.na(d$s2)
ftp <- d$s1 < 214 & ret & d$s2 >= 214
w <- function(x, n) prop.test(x, n, correct = FALSE)$conf.int
wil <- function(x, n) { ci <- w(x, n); c(x / n, ci[1], ci[2]) }
pr <- function(name, v) cat(name, sprintf("%.17g", v), "\n")
pr("all", wil(sum(d$m), nrow(d)))
pr("lp_no_retake", wil(sum(d$m & lp & !ret), sum(lp & !ret)))
pr("lp_retook", wil(sum(d$m & lp & ret), sum(lp & ret)))
pr("lp", wil(sum(d$m & lp), sum(lp)))
pr("ftp", wil(sum(d$m & ftp), sum(ftp)))
pr("all_exact", c(binom.test(sum(d$m), nrow(d))$conf.int))
# Newcombe hybrid score (method 10) from the two Wilson intervals
newc <- function(x1, n1, x2, n2) {
  p1 <- x1 / n1; p2 <- x2 / n2; a <- w(x1, n1); b <- w(x2, n2)
  c(p1 - p2, p1 - p2 - sqrt((p1 - a[1])^2 + (b[2] - p2)^2),
    p1 - p2 + sqrt((a[2] - p1)^2 + (p2 - b[1])^2))
}
a1 <- sum(d$m & lp & ret); n1 <- sum(lp & ret)
a2 <- sum(d$m & lp & !ret); n2 <- sum(lp & !ret)
pr("cmp0_diff", newc(a1, n1, a2, n2))
f <- fisher.test(matrix(c(a1, a2, n1 - a1, n2 - a2), 2))
pr("cmp0_fisher", c(f$p.value, f$estimate, f$conf.int))
a1 <- sum(d$m & lp); n1 <- sum(lp); a2 <- sum(d$m & ftp); n2 <- sum(ftp)
pr("cmp1_diff", newc(a1, n1, a2, n2))
f <- fisher.test(matrix(c(a1, a2, n1 - a1, n2 - a2), 2))
pr("cmp1_fisher", c(f$p.value, f$estimate, f$conf.int))
a1 <- sum(d$m & lp & !ret); n1 <- sum(lp & !ret); a2 <- sum(d$m & ftp); n2 <- sum(ftp)
pr("cmp2_diff", newc(a1, n1, a2, n2))
f <- fisher.test(matrix(c(a1, a2, n1 - a1, n2 - a2), 2))
pr("cmp2_fisher", c(f$p.value, f$estimate, f$conf.int))
sc <- function(ch) {
  t <- t.test(ch)
  wt <- suppressWarnings(wilcox.test(ch))
  c(length(ch), t$estimate, t$conf.int, sd(ch), quantile(ch, c(.5, .25, .75)),
    wt$p.value)
}
pr("change_lp", sc(d$s2[lp & ret] - d$s1[lp & ret]))
pr("change_all", sc(d$s2[ret] - d$s1[ret]))
rg <- function(k) {
  x <- d$practice_avg_2[k]; y <- d$s2[k]
  fit <- lm(y ~ x)
  p <- predict(fit, data.frame(x = c(230, 235, 240, 245)),
               interval = "prediction", level = 0.95)
  c(length(x), coef(fit), summary(fit)$r.squared, summary(fit)$sigma,
    t(p))
}
pr("reg_lp", rg(lp & ret & !is.na(d$practice_avg_2)))
pr("reg_all", rg(ret & !is.na(d$practice_avg_2)))
yr <- sort(unique(d$match_year))
yx <- sapply(yr, function(y) sum(d$m[d$match_year == y]))
yn <- sapply(yr, function(y) sum(d$match_year == y))
t <- suppressWarnings(prop.trend.test(yx, yn, score = yr))
slope <- coef(lm(I(yx / yn) ~ yr, weights = yn))[2]
pr("trend", c(t$statistic, t$p.value, slope))
