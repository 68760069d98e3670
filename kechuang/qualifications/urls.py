from django.urls import path

from . import views

app_name = "qualifications"
urlpatterns = [
    path("ladder/", views.ladder, name="ladder"),
    path("reserve/", views.reserve_pool, name="reserve_pool"),
    path("risks/", views.risk_list, name="risk_list"),
]
