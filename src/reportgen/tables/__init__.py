"""Statutory tables: the declaration vocabulary (``spec``) and each edition's declarations."""
from .spec import AMOUNT, COUNT, MONEY, SIGNED, BlockTable, MatrixTable, SumRule, TableSpec, format_value

__all__ = ["AMOUNT", "COUNT", "MONEY", "SIGNED", "BlockTable", "MatrixTable", "SumRule", "TableSpec",
           "format_value"]
