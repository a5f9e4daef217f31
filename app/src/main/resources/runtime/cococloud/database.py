"""db: the documents and app users of the function's own project; the server confines every call to it."""

import operator

from cococloud import host
from cococloud.request import User


def _user(fields):
    return User(fields) if fields else None


class _PendingTotal:
    """A query's total before anyone read it: the count runs on first use, once. It lives in the dict only until
    the dict's own methods replace it by the number; it is seen directly only through copies that bypass those
    methods (`{**page}`), so it also behaves as the int it stands for (arithmetic, comparisons, int(), format)."""

    __slots__ = ("_count", "_value")

    def __init__(self, count):
        self._count = count
        self._value = None

    def value(self):
        if self._count is not None:
            self._value = self._count()
            self._count = None
        return self._value

    def __index__(self):
        return self.value()

    __int__ = __index__

    def __float__(self):
        return float(self.value())

    def __bool__(self):
        return bool(self.value())

    def __hash__(self):
        return hash(self.value())

    def __repr__(self):
        return repr(self.value())

    __str__ = __repr__

    def __format__(self, spec):
        return format(self.value(), spec)


def _delegate(name, reflected=False):
    function = getattr(operator, name)
    if reflected:
        return lambda self, other: function(other, self.value())
    return lambda self, *other: function(self.value(), *other)


for _name in ("eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "neg",
              "pos", "abs", "and", "or", "xor", "lshift", "rshift", "invert"):
    _method = _name + "_" if _name in ("and", "or") else _name
    setattr(_PendingTotal, f"__{_name}__", _delegate(_method))
    if _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "lshift", "rshift"):
        setattr(_PendingTotal, f"__r{_name}__", _delegate(_method, reflected=True))
del _name, _method


class QueryResult(dict):
    """What db.query answers: a dict {"data", "total", "limit", "offset", "has_more"}.

    has_more comes from one extra row read after the page. total is the number of matches of the filters: a last
    page tells it (offset + len(data)); otherwise it is counted, with the same filters, the first time something
    reads it (result["total"], get, items, values, repr, ==, copy, json.dumps, returning the result), then kept. A
    function that never reads total costs no count, which would visit every match, not just one page of them."""

    @classmethod
    def of(cls, page, count):
        # dict's own copy of the server's page (its keys in order): a Python __init__ would cost GraalPy ~6 µs more
        result = cls(page)
        if page["total"] is None:  # the page does not tell it
            dict.__setitem__(result, "total", _PendingTotal(count))
        return result

    def _settle(self):
        total = dict.get(self, "total")
        if type(total) is _PendingTotal:
            dict.__setitem__(self, "total", total.value())

    def __getitem__(self, key):
        if key == "total":
            self._settle()
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        if key == "total":
            self._settle()
        return dict.get(self, key, default)

    def items(self):
        self._settle()
        return dict.items(self)

    def values(self):
        self._settle()
        return dict.values(self)

    def pop(self, key, *default):
        if key == "total":
            self._settle()
        return dict.pop(self, key, *default)

    def popitem(self):
        self._settle()
        return dict.popitem(self)

    def setdefault(self, key, default=None):
        if key == "total":
            self._settle()
        return dict.setdefault(self, key, default)

    def copy(self):
        self._settle()
        return dict(dict.items(self))

    def __eq__(self, other):
        self._settle()
        return dict.__eq__(self, other)

    def __ne__(self, other):
        self._settle()
        return dict.__ne__(self, other)

    __hash__ = None

    def __or__(self, other):
        self._settle()
        return dict.__or__(dict(dict.items(self)), other)

    def __ror__(self, other):
        self._settle()
        return dict.__or__(dict(other), dict(dict.items(self)))

    def __repr__(self):
        self._settle()
        return dict.__repr__(self)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        # copy.copy, copy.deepcopy and pickle: a plain dict with the number
        self._settle()
        return dict, (dict(dict.items(self)),)


class Database:
    """db: the documents of this function's project (docs/functions.md#what-every-function-sees; CocoBase's signatures).

    Filters are keyword arguments (status="published", views_gte="100") or, for keys Python
    cannot spell ("address.city", "[or]status"), a filters={...} dict; both may be combined."""

    def _call(self, operation, **args):
        return host.call("db", operation, host.to_json(args))

    def query(self, collection, populate=None, select=None, sort=None, order="desc", limit=10, offset=0,
              filters=None, **kwargs):
        filters = {**(filters or {}), **kwargs}
        page = self._call("query", collection=collection, filters=filters, populate=populate, select=select,
                          sort=sort, order=order, limit=limit, offset=offset)
        return QueryResult.of(page, lambda: self._call("count", collection=collection, filters=filters))

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
