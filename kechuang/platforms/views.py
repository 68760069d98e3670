"""HTML views of enterprise R&D institutions."""

from kechuang.core.access import requires
from kechuang.core.lists import list_page

from .filters import RDInstitutionFilterSet
from .selectors import scoped_institutions
from .tables import RDInstitutionTable


@requires("institution.list")
def institution_list(request):
    return list_page(
        request,
        queryset=scoped_institutions(request.user),
        filterset_class=RDInstitutionFilterSet,
        table_class=RDInstitutionTable,
        template="platforms/institution_list.html",
        export_schema="institutions",
    )
