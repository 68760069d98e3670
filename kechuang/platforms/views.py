"""HTML views of enterprise R&D institutions."""

from kechuang.core.access import requires
from kechuang.core.lists import list_page

from .filters import RDInstitutionFilterSet
from .models import RDInstitution
from .tables import RDInstitutionTable


@requires("institution.list")
def institution_list(request):
    queryset = RDInstitution.objects.for_user(request.user).select_related(
        "enterprise", "enterprise__town"
    )
    return list_page(
        request,
        queryset=queryset,
        filterset_class=RDInstitutionFilterSet,
        table_class=RDInstitutionTable,
        template="platforms/institution_list.html",
        export_schema="institutions",
    )
