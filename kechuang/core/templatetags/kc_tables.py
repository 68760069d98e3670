"""`{% table_body table as body %}`: a table's shown rows as ready cells (kechuang.core.tablerows)."""

from django import template

from kechuang.core.tablerows import table_body as _table_body

register = template.Library()


@register.simple_tag
def table_body(table):
    return _table_body(table)
