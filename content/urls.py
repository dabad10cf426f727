from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("leaving/<slug:key>/", views.leaving, name="leaving"),
    path("leaving/", views.leaving_address, name="leaving_address"),
    path("<slug:slug>/", views.page_detail, name="page_detail"),
]
