from django.urls import path

from accounts.views import users

app_name = "accounts"

urlpatterns = [
    path("users/", users.user_list, name="user_list"),
]
