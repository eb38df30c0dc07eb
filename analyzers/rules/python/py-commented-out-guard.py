from flask import abort, g
from django.contrib.auth.decorators import login_required


# ruleid: py-commented-out-guard
# @login_required
def delete_account(request, account_id):
    return do_delete(account_id)


def export_users(user):
    # ruleid: py-commented-out-guard
    # if not user.is_admin:
    # ruleid: py-commented-out-guard
    #     abort(403)
    return dump_users()


def webhook(request, secret):
    # ruleid: py-commented-out-guard
    # verify_signature(request.body, request.headers["X-Signature"], secret)
    return handle(request.json)


def view(request):
    # ok: py-commented-out-guard
    # Only admins reach this view: the router checks the role first.
    # ok: py-commented-out-guard
    # if not cached: recompute below
    return render(request)


# ok: py-commented-out-guard
# TODO: verify the webhook signature once the provider sends one
@login_required
def profile(request):
    return render(request)
