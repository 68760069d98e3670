from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [path("", views.campaign_list, name="campaign_list")]
