"""Statutory tables: the declaration vocabulary (``spec``) and each edition's declarations."""
from .spec import AMOUNT, BOUNDS, COUNT, MONEY, SIGNED, YUAN, BlockTable, MatrixTable, SumRule, TableSpec, format_value

__all__ = ["AMOUNT", "BOUNDS", "COUNT", "MONEY", "SIGNED", "YUAN", "BlockTable", "MatrixTable", "SumRule", "TableSpec",
           "format_value"]
