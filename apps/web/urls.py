from django.urls import path

from apps.web import join, views

app_name = "web"

urlpatterns = [
    path("app/login", views.login_view, name="login"),
    path("app/logout", views.logout_view, name="logout"),
    path("app/", views.home, name="home"),
    path("app/timeline", views.timeline, name="timeline"),
    path("app/call-sheet", views.call_sheet, name="call-sheet"),
    path("app/me", views.me, name="me"),
    path("app/switch-org", views.switch_org, name="switch-org"),
    path("join/<uuid:pk>", join.join_page, name="join"),
]
