#!/bin/sh
# The settings file is untouched.
cmp site.ini site.ini.orig
