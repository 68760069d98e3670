from django.urls import path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("", views.demand_list, name="demand_list"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/edit/", views.demand_edit, name="demand_edit"),
    path("demands/<int:pk>/renew/", views.demand_renew, name="demand_renew"),
    path("demands/<int:pk>/close/", views.demand_close, name="demand_close"),
    path("demands/<int:pk>/broker/", views.brokering_create, name="brokering_create"),
    path("achievements/", views.achievement_list, name="achievement_list"),
    path("achievements/new/", views.achievement_create, name="achievement_create"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement_detail"),
    path("achievements/<int:pk>/edit/", views.achievement_create, name="achievement_edit"),
    path("search/", views.search, name="search"),
    path("brokering/", views.brokering_list, name="brokering_list"),
    path("brokering/<int:pk>/", views.brokering_detail, name="brokering_detail"),
    path("contracts/", views.contract_list, name="contract_list"),
    path("contracts/new/", views.contract_apply, name="contract_apply"),
    path("contracts/statistics/", views.contract_statistics, name="contract_statistics"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/file/", views.contract_file, name="contract_file"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("competitions/", views.competition_list, name="competition_list"),
    path("competitions/<int:pk>/", views.competition_detail, name="competition_detail"),
]
