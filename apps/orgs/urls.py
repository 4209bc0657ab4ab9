from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.orgs.api import auth, orgs

router = SimpleRouter(trailing_slash=False)
router.register("orgs/members", orgs.MemberViewSet, basename="member")
router.register(
    "orgs/invitations", orgs.OrganizationInvitationViewSet, basename="organization-invitation"
)

urlpatterns = [
    path("auth/signup", auth.SignupView.as_view(), name="auth-signup"),
    path("auth/login", auth.LoginView.as_view(), name="auth-login"),
    path("auth/refresh", auth.RefreshView.as_view(), name="auth-refresh"),
    path("auth/logout", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/me", auth.MeView.as_view(), name="auth-me"),
    path("auth/switch-org", auth.SwitchOrgView.as_view(), name="auth-switch-org"),
    path("auth/reset/request", auth.ResetRequestView.as_view(), name="auth-reset-request"),
    path("auth/reset/confirm", auth.ResetConfirmView.as_view(), name="auth-reset-confirm"),
    path("orgs/current", orgs.CurrentOrganizationView.as_view(), name="org-current"),
    *router.urls,
]
