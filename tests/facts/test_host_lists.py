"""Which host a link is on: host lists name a domain, a domain and a path prefix, or a bare label."""

from hypothesis import given
from hypothesis import strategies as st

from auditor.facts.urls import host_matches

HOSTS = ["huggingface.co", "github.com/user-attachments", "dataverse", "drive.google.com"]


def test_a_domain_matches_itself_its_subdomains_and_its_www_form():
    assert host_matches("https://huggingface.co/org/model", HOSTS)
    assert host_matches("https://cdn-lfs.huggingface.co/x", HOSTS)
    assert host_matches("http://www.huggingface.co/x", HOSTS)
    assert not host_matches("https://nothuggingface.co/x", HOSTS)


def test_a_path_prefix_narrows_a_domain():
    assert host_matches("https://github.com/user-attachments/files/1/w.pth", HOSTS)
    assert not host_matches("https://github.com/owner/repo", HOSTS)


def test_a_bare_label_matches_any_host_that_has_it():
    assert host_matches("https://dataverse.harvard.edu/dataset.xhtml", HOSTS)
    assert host_matches("https://demo.dataverse.org/x", HOSTS)
    assert not host_matches("https://mydataverse.org/x", HOSTS)


def test_a_link_without_a_host_is_on_none():
    assert not host_matches("docs/INSTALL.md", HOSTS)
    assert not host_matches("http://[abc/x.pth", HOSTS)  # cannot be split


def _walked(url: str, hosts: list[str]) -> bool:
    """The meaning of a host list, as a walk over its entries."""
    from auditor.facts.urls import split_url

    parts = split_url(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.lstrip("/")
    for entry in hosts:
        name, _, prefix = entry.partition("/")
        on = (host == name or host.endswith("." + name)) if "." in name else name in host.split(".")
        if host and on and path.startswith(prefix):
            return True
    return False


_LABELS = st.sampled_from(["a", "b", "hf", "co", "www", "data", "x-y"])
_NAMES = st.lists(_LABELS, min_size=1, max_size=3).map(".".join)
_ENTRIES = st.tuples(_NAMES, st.sampled_from(["", "/p", "/p/q", "/q"])).map("".join)


@given(st.lists(_ENTRIES, max_size=6), _NAMES, st.sampled_from(["", "/", "/p", "/p/q/r", "/pq", "/q"]))
def test_looking_hosts_up_by_domain_and_label_means_walking_the_list(hosts, host, path):
    url = f"https://{host}{path}"
    assert host_matches(url, hosts) == _walked(url, hosts)


def test_a_link_of_any_length_is_answered_and_only_usual_ones_are_kept():
    from auditor.facts import urls

    kept = urls._cached_keys.cache_info().currsize
    long_link = "https://huggingface.co/" + "a" * 1_000_000
    assert host_matches(long_link, HOSTS)
    assert urls._cached_keys.cache_info().currsize == kept  # a README's megabyte-long link is not held
