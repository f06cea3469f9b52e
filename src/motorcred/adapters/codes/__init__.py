"""Rendering (segno, python-barcode) and reading (zxing-cpp) of the dynamic codes."""
