"""Rows of the op table, one module per group of ops (see ``op_table_kit``)."""
