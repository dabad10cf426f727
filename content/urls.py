from django.urls import path

from . import views
from .tools import views as tool_views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guide_list, name="guide_list"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("leaving/<slug:key>/", views.leaving, name="leaving"),
    path("leaving/", views.leaving_address, name="leaving_address"),
    path("my-calendar/", tool_views.my_calendar, name="my_calendar"),
    path("my-calendar/print/", tool_views.my_calendar_print, name="my_calendar_print"),
    path("my-calendar/calendar.ics", tool_views.my_calendar_ics, name="my_calendar_ics"),
    path("glossary/", tool_views.glossary, name="glossary"),
    path("search/", tool_views.search_page, name="search"),
    path("sheets/", tool_views.sheets, name="sheets"),
    path("sheets/questions/", tool_views.questions_sheet, name="questions_sheet"),
    path("sheets/diary/", tool_views.diary_sheet, name="diary_sheet"),
    path("<slug:slug>/", views.page_detail, name="page_detail"),
]
