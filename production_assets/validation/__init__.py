"""Validators that return every issue with its file, line, column and a fix."""
