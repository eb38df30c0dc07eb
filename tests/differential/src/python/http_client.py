import requests


def fetch(url, token):
    r1 = requests.get(
        url,  # the endpoint
        verify=False,  # TODO: remove before release
    )
    r2 = requests.get(url,  # the endpoint
                      verify=False)
    r3 = requests.get(url, verify=False)
    return r1, r2, r3
