"""Users and JSON-RPC refusals of the add-ons' Odoo tests (no test here).

Imports Odoo, like ``neutralize_case``: only the add-ons' Odoo tests import it.
"""

from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import JsonRpcException


class PlUserHelpers:
    """Mixed into a test class having ``cls.company`` (an ``HttpCase`` for
    ``_pl_jsonrpc_refusal``)."""

    @classmethod
    def _pl_user(cls, login, groups):
        """A user of the test company in ``groups`` (comma-separated xml ids);
        its password is its login (logins of 8 characters or more)."""
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _pl_jsonrpc_refusal(self, model, method, args):
        """Call ``model.method(*args)`` through JSON-RPC as the authenticated
        user (HttpCase) and return the exception class it was refused with."""
        with self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                f"/web/dataset/call_kw/{model}/{method}",
                {"model": model, "method": method, "args": args, "kwargs": {}},
            )
        return error.exception.args[0]
