"""dti: the yearly digital transformation index (chỉ số chuyển đổi số) assessment of a province's units."""

__version__ = "0.1.0"
