# How r.csv was made (R 4.2, Rscript make-r.csv.R): write.csv's defaults
# quote every string, write NA for a missing value and add an unnamed first
# column of row numbers.  Row 4 has matched = NA (written unquoted, as R
# writes a missing string): an empty required value, so it is rejected.
d <- data.frame(student_id = c("R1", "R2", "R3", "R4"),
                match_year = c(2024L, 2024L, 2025L, 2025L),
                step2_attempt_1 = c(212L, 230L, NA, 209L),
                step2_attempt_2 = c(238L, NA, NA, NA),
                target_specialty = c("Emergency Medicine", NA, "Pediatrics",
                                     "Pediatrics"),
                matched = c("Y", "N", "Y", NA), stringsAsFactors = FALSE)
write.csv(d, "r.csv")
