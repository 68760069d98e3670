from django.urls import path

from . import views

app_name = "rnd"
urlpatterns = [path("", views.rd_overview, name="rd_overview")]
