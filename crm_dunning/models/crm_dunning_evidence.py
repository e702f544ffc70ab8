"""Documents that serve as evidence cannot be changed once issued.

A posted interest note, an issued payment demand and a dispatched dispatch
book (with their lines) are what the customer received and what the post
office stamped: they change only through their legal route (cancel and
issue a new document, a new book for the letters not sent), never by a
write, a new line or a deletion. The documents' own actions (post, issue,
dispatch, cancel) write the fields that only they may set through
``_crm_dunning_on_route()``, a context a client cannot forge: its value is
a Python object, and a JSON-RPC or form context only carries JSON values.
"""

from odoo import api, models
from odoo.exceptions import UserError

ROUTE_KEY = "crm_dunning_evidence_route"
_ROUTE = object()


class CrmDunningEvidence(models.AbstractModel):
    _name = "crm.dunning.evidence"
    _description = "Dunning Evidence"

    # Fields set only by the document's own actions (numbering, status,
    # journal entries), in every status; computed and related fields too.
    _crm_dunning_route_fields = frozenset()
    # Values of the route fields a new record may be created with.
    _crm_dunning_route_defaults = {}
    # Fields that may still change on evidence (chatter fields always may).
    _crm_dunning_free_fields = frozenset()
    # Lines: the field of their document, whose status decides.
    _crm_dunning_document_field = None

    # ------------------------------------------------------------------
    # To define on the documents
    # ------------------------------------------------------------------
    def _crm_dunning_is_evidence(self):
        """Whether this document (one record) is evidence already."""
        return False

    def _crm_dunning_evidence_error(self):
        """The refusal (a UserError) for this document (one record), naming
        its legal route."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # The guard
    # ------------------------------------------------------------------
    def _crm_dunning_on_route(self):
        """``self`` where the document's own actions may change evidence."""
        return self.with_context(**{ROUTE_KEY: _ROUTE})

    def _crm_dunning_is_on_route(self):
        return self.env.context.get(ROUTE_KEY) is _ROUTE

    def _crm_dunning_documents(self):
        if self._crm_dunning_document_field:
            return self[self._crm_dunning_document_field]
        return self

    def _crm_dunning_check_documents(self, documents):
        for document in documents:
            if document._crm_dunning_is_evidence():
                raise document._crm_dunning_evidence_error()

    def _crm_dunning_free(self):
        """The fields that may change on evidence: the model's own and the
        chatter's (messages, followers, activities, main attachment)."""
        free = set(self._crm_dunning_free_fields)
        for mixin in ("mail.thread", "mail.activity.mixin"):
            free |= set(self.env[mixin]._fields) & set(self._fields)
        return free - set(models.MAGIC_COLUMNS) - {"display_name"}

    def _crm_dunning_check_route_fields(self, vals, creating=False):
        free = self._crm_dunning_free()
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not (
                name in self._crm_dunning_route_fields
                or (field.compute and field.readonly and name not in free)
            ):
                continue
            if creating and self._crm_dunning_route_defaults.get(name, ()) == value:
                continue
            raise UserError(
                self.env._(
                    "%(document)s: “%(field)s” is set only by the document's own "
                    "actions (issue, post, dispatch, cancel); it cannot be "
                    "written directly.",
                    field=field._description_string(self.env),
                    document=self.env["ir.model"]._get(self._name).name,
                )
            )

    def _crm_dunning_check_write(self, vals):
        self._crm_dunning_check_route_fields(vals)
        if set(vals) - self._crm_dunning_free():
            self._crm_dunning_check_documents(self._crm_dunning_documents())
        field = self._crm_dunning_document_field
        if field and vals.get(field):
            self._crm_dunning_check_documents(self[field].browse(vals[field]).exists())

    @api.model_create_multi
    def create(self, vals_list):
        if not self._crm_dunning_is_on_route():
            # Access rights first: who may not create gets their error.
            self.check_access("create")
            field = self._crm_dunning_document_field
            for vals in vals_list:
                self._crm_dunning_check_route_fields(vals, creating=True)
                if field and vals.get(field):
                    self._crm_dunning_check_documents(
                        self[field].browse(vals[field]).exists()
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self._crm_dunning_is_on_route():
            self.check_access("write")
            self._crm_dunning_check_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        # Lines; the documents refuse their own deletion with their message.
        if self._crm_dunning_document_field and not self._crm_dunning_is_on_route():
            self._crm_dunning_check_documents(self._crm_dunning_documents())
