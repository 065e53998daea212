# adjust_reference.R - reference numbers for tests/unit/test_adjust.c
# Run from tests/data:  Rscript adjust_reference.R   (R 4.2, base + stats)
# Fixtures (y group score tier year; made once by a seeded script, kept as
# data): adjust_main.txt (200 rows), adjust_separated.txt (40 rows, matched
# exactly when score >= 225), adjust_collinear.txt (60 rows, tier "very"
# exactly when group = 1).  The design is the library's: group indicator,
# score and year centred at their means, tier dummies with forgiving as the
# reference level.
options(digits = 17)
show <- function(name, x) cat(name, sprintf("%.17g", x), "\n")
design <- function(f) {
  d <- read.table(f, header = TRUE)
  d$score_c <- d$score - mean(d$score)
  d$year_c <- d$year - mean(d$year)
  d$tier <- droplevels(factor(d$tier, levels = c("forgiving", "middle", "very")))
  d
}
fit_show <- function(f) {
  cat("==", f, "\n")
  d <- design(f)
  m1 <- withCallingHandlers(
    glm(y ~ group + score_c + tier + year_c, family = binomial, data = d),
    warning = function(w) { cat("WARNING:", conditionMessage(w), "\n");
                            invokeRestart("muffleWarning") })
  s <- summary(m1)$coefficients
  show("coef", coef(m1))
  show("se", s[, 2])
  show("p", s[, 4])
  show("deviance", deviance(m1)); show("null", m1$null.deviance)
  show("df", m1$df.residual); show("iter", m1$iter)
  show("converged", m1$converged)
  m0 <- suppressWarnings(glm(y ~ score_c + tier + year_c, family = binomial,
                             data = d))
  a <- anova(m0, m1, test = "LRT")
  show("lrt", a$Deviance[2]); show("lrt_p", a[["Pr(>Chi)"]][2])
  w <- qnorm(0.975)
  show("or_wald", exp(coef(m1)["group"] + c(0, -1, 1) * w * s["group", 2]))
  invisible(d)
}
d <- fit_show("adjust_main.txt")

# Mantel-Haenszel over tiers: rows group 1 then 0, columns matched yes/no
tab <- sapply(levels(d$tier), function(t) {
  s <- d[d$tier == t, ]
  c(sum(s$group == 1 & s$y == 1), sum(s$group == 0 & s$y == 1),
    sum(s$group == 1 & s$y == 0), sum(s$group == 0 & s$y == 0))
})
cat("tables (a c b d per tier):", tab, "\n")
x <- array(tab, dim = c(2, 2, ncol(tab)))
mh <- mantelhaen.test(x, correct = FALSE, exact = FALSE)
show("mh_or", c(mh$estimate, mh$conf.int))
show("mh_chi2", mh$statistic); show("mh_p", mh$p.value)

# Breslow-Day with Tarone's correction, from the definition (Breslow & Day
# 1980; Tarone 1985): the fitted a-cell has the stratum's margins and the MH
# odds ratio, found here by uniroot (not the closed form the library uses).
psi <- unname(mh$estimate)
X2 <- 0; sa <- 0; sfit <- 0; svar <- 0
for (k in seq_len(dim(x)[3])) {
  a <- x[1, 1, k]; b <- x[1, 2, k]; c <- x[2, 1, k]; dd <- x[2, 2, k]
  n1 <- a + b; n2 <- c + dd; m1 <- a + c
  lo <- max(0, m1 - n2); hi <- min(n1, m1)
  g <- function(A) A * (n2 - m1 + A) - psi * (n1 - A) * (m1 - A)
  A <- uniroot(g, c(lo, hi), tol = 1e-14)$root
  v <- 1 / (1 / A + 1 / (n1 - A) + 1 / (m1 - A) + 1 / (n2 - m1 + A))
  X2 <- X2 + (a - A)^2 / v; sa <- sa + a; sfit <- sfit + A; svar <- svar + v
}
bd <- X2 - (sa - sfit)^2 / svar
show("bd_chi2", X2); show("bd_tarone", bd)
show("bd_p", pchisq(bd, dim(x)[3] - 1, lower.tail = FALSE))

invisible(fit_show("adjust_separated.txt"))
invisible(fit_show("adjust_collinear.txt"))

# End to end: tests/data/adjust_cohort.csv through ck_analyse, comparison
# "no_retake_vs_failed_then_passed" (group = 1 for low pass, no retake;
# Family Medicine is forgiving, Internal Medicine middle).
cat("== adjust_cohort.csv\n")
d <- read.csv("adjust_cohort.csv")
d$group <- as.integer(is.na(d$step2_attempt_2))
d$y <- as.integer(d$matched == "Y")
d$score_c <- d$step2_attempt_1 - mean(d$step2_attempt_1)
d$year_c <- d$match_year - mean(d$match_year)
d$tier <- factor(ifelse(d$target_specialty == "Family Medicine", "forgiving",
                        "middle"))
m1 <- glm(y ~ group + score_c + tier + year_c, family = binomial, data = d)
m0 <- glm(y ~ score_c + tier + year_c, family = binomial, data = d)
s <- summary(m1)$coefficients
show("coef", coef(m1)); show("se", s[, 2]); show("p", s[, 4])
show("deviance", deviance(m1)); show("iter", m1$iter)
a <- anova(m0, m1, test = "LRT")
show("lrt", a$Deviance[2]); show("lrt_p", a[["Pr(>Chi)"]][2])
show("or_wald", exp(coef(m1)["group"] + c(0, -1, 1) * qnorm(0.975) *
                      s["group", 2]))
x <- xtabs(~ factor(group, levels = 1:0) + factor(y, levels = 1:0) + tier,
           data = d)
mh <- mantelhaen.test(x, correct = FALSE, exact = FALSE)
show("mh_or", c(mh$estimate, mh$conf.int))
show("mh_chi2", mh$statistic); show("mh_p", mh$p.value)
