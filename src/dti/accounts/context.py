from dti.accounts.roles import role_of


def role(request):
    """The signed-in user's role, for menus (the views still check every object)."""
    return {"role": role_of(request.user)}
