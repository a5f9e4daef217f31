"""db: the documents and app users of the function's own project; the server confines every call to it."""

from cococloud import host
from cococloud.request import User


def _user(fields):
    return User(fields) if fields else None


class Database:
    """db: the documents of this function's project (docs/functions.md#what-every-function-sees; CocoBase's signatures).

    Filters are keyword arguments (status="published", views_gte="100") or, for keys Python
    cannot spell ("address.city", "[or]status"), a filters={...} dict; both may be combined."""

    def _call(self, operation, **args):
        return host.call("db", operation, host.to_json(args))

    def query(self, collection, populate=None, select=None, sort=None, order="desc", limit=10, offset=0,
              filters=None, **kwargs):
        return self._call("query", collection=collection, filters={**(filters or {}), **kwargs}, populate=populate,
                          select=select, sort=sort, order=order, limit=limit, offset=offset)

    def find_one(self, collection, populate=None, filters=None, **kwargs):
        return self._call("find_one", collection=collection, filters={**(filters or {}), **kwargs},
                          populate=populate)

    def count_documents(self, collection, filters=None, **kwargs):
        return self._call("count", collection=collection, filters={**(filters or {}), **kwargs})

    count = count_documents

    def search_documents(self, collection, search_term, search_fields=None, limit=None):
        return self._call("search", collection=collection, term=search_term, fields=search_fields, limit=limit)

    def create_document(self, collection, data):
        return self._call("create", collection=collection, data=data)

    def update_document(self, collection, id, data):
        return self._call("update", collection=collection, id=id, data=data)

    update_document_fields = update_document

    def delete_document(self, collection, id):
        return self._call("delete", collection=collection, id=id)

    def get_documents(self, collection, filters=None, populate=None, limit=None):
        return self.query(collection, populate=populate, filters=filters or {}, limit=limit or 10)

    # App users of the project, as User objects (attribute and item access; never a password hash).

    def find_user(self, **by):
        return _user(self._call("find_user", filters=by))

    def get_app_user(self, id):
        return _user(self._call("get_app_user", id=id))

    def query_users(self, limit=10, offset=0, filters=None, **kwargs):
        page = self._call("query_users", filters={**(filters or {}), **kwargs}, limit=limit, offset=offset)
        page["data"] = [User(fields) for fields in page["data"]]
        return page

    get_app_users = query_users

    def create_app_user(self, email, password, data=None, roles=None):
        return _user(self._call("create_app_user", email=email, password=password, data=data, roles=roles))

    def update_app_user(self, id, data=None, roles=None, email=None):
        return _user(self._call("update_app_user", id=id, data=data, roles=roles, email=email))

    def __repr__(self):
        return "<db>"
