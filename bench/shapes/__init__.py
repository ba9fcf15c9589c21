"""Shapes benchmark (issue 19): generated reports with known truth, rendered to PDF, turned into the
shapes researchers meet (pdftotext, pypdf, pdfminer …) and read back by the project's reader."""
