//! Who the client is, for rate limits: the socket's address, unless the connection comes
//! from a proxy the operator trusts, in which case the nearest untrusted address in
//! `X-Forwarded-For`. IPv6 clients are grouped by /64 (one subscriber usually holds a
//! whole /64, so counting single addresses would let them rotate freely).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::state::AppState;

/// The client address a limit is kept for: IPv4 as is, IPv6 masked to its /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(pub IpAddr);

impl ClientKey {
    pub fn of(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(_) => ClientKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey(IpAddr::V4(v4)),
                None => {
                    let bits = u128::from(v6) & !((1u128 << 64) - 1);
                    ClientKey(IpAddr::V6(Ipv6Addr::from(bits)))
                }
            },
        }
    }
}

impl std::fmt::Display for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

/// The client's address: the socket peer, or from `X-Forwarded-For` when the peer is
/// a trusted proxy. The header is read right to left (each proxy appends the address it
/// saw), skipping trusted proxies; an unparsable entry stops the walk at the last
/// trusted hop, so a client cannot forge its way past it.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// The requesting client, as a handler argument.
#[derive(Debug, Clone, Copy)]
pub struct Client(pub ClientKey);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Client, Self::Rejection> {
        Ok(Client(client_key(
            parts,
            &state.protection.config.trusted_proxies,
        )))
    }
}

pub(crate) fn client_key(parts: &Parts, trusted: &[IpNet]) -> ClientKey {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    ClientKey::of(client_ip(peer, &parts.headers, trusted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().expect("header"));
        h
    }

    #[test]
    fn untrusted_peer_is_the_client_whatever_the_header_says() {
        let peer: IpAddr = "203.0.113.9".parse().expect("ip");
        assert_eq!(client_ip(peer, &headers("1.2.3.4"), &[]), peer);
    }

    #[test]
    fn trusted_proxy_hands_over_the_nearest_untrusted_hop() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let peer: IpAddr = "10.0.0.2".parse().expect("ip");
        let got = client_ip(peer, &headers("6.6.6.6, 198.51.100.7, 10.0.0.5"), &trusted);
        assert_eq!(got, "198.51.100.7".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn garbage_in_the_header_stops_at_the_last_trusted_hop() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        let peer: IpAddr = "10.0.0.2".parse().expect("ip");
        let got = client_ip(peer, &headers("6.6.6.6, not-an-ip"), &trusted);
        assert_eq!(got, peer);
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a = ClientKey::of("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        let b = ClientKey::of("2001:db8:1:2:bbbb::9".parse().expect("ip"));
        let c = ClientKey::of("2001:db8:1:3::1".parse().expect("ip"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
    }
}
