from flask import abort, g


def delete_user(request, user_id):
    # ruleid: py-assert-authorization
    assert request.user.is_admin, "admin only"
    return remove(user_id)


def edit_post(user, post):
    # ruleid: py-assert-authorization
    assert user.has_perm("blog.change_post") or post.author_id == user.id
    post.save()


def export(request):
    if request.method == "POST":
        # ruleid: py-assert-authorization
        assert g.user.is_authenticated
        return build_export()
    # ok: py-assert-authorization
    assert isinstance(request.args, dict)
    return None


def change_password(user, old):
    # ruleid: py-assert-authorization
    assert check_password(old, user.password_hash)
    user.set_password(old)


def admin_panel(user):
    # ok: py-assert-authorization
    if not user.is_admin:
        abort(403)
    # ok: py-assert-authorization
    assert user.id is not None
    return render()


def test_admin_can_delete(client, admin):
    # ok: py-assert-authorization
    assert admin.is_admin
    # ok: py-assert-authorization
    assert client.delete("/users/1").status_code == 204
