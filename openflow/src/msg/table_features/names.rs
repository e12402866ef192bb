//! Lists of field names abbreviated the way `ovs-ofctl` does in table features (OVS 3.1
//! `print_names`): common prefixes (`eth_src eth_dst` → `eth_{src,dst}`) and numbered runs
//! (`reg0 reg1 reg2` → `reg0...reg2`).

/// The length of the longest common prefix of `a` and `b` that ends in `_`.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut ret = 0;
    for (i, (&x, &y)) in a.iter().zip(b).enumerate() {
        if x != y {
            return ret;
        }
        if x == b'_' {
            ret = i + 1;
        }
    }
    ret
}

/// `ids[i]` without its first `n` bytes (empty past its end, where C would read past the NUL).
fn tail(id: &str, n: usize) -> &[u8] {
    id.as_bytes().get(n..).unwrap_or(&[])
}

/// `count_common_prefix_run` as in OVS 3.1, whose loop never shortens the shared prefix.
fn common_prefix_run(ids: &[&str], prefix_len: usize) -> (usize, usize) {
    if ids.len() < 2 {
        return (ids.len(), 0);
    }
    let first = tail(ids[0], prefix_len);
    let extra = common_prefix(first, tail(ids[1], prefix_len));
    if extra == 0 {
        return (1, 0);
    }
    let mut i = 2;
    while i < ids.len() && common_prefix(first, tail(ids[i], prefix_len)) != 0 {
        i += 1;
    }
    (i, extra)
}

fn is_all_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// True if `b` is `a` with a trailing number one larger (`reg0`, `reg1`).
fn sequential(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if common == a.len() && common == b.len() {
        return false;
    }
    let (a, b) = (&a[common..], &b[common..]);
    let num = |s: &[u8]| -> u64 { s.iter().fold(0, |n, d| n * 10 + u64::from(d - b'0')) };
    is_all_digits(a) && is_all_digits(b) && a.len() < 10 && b.len() < 10 && num(a) + 1 == num(b)
}

fn suffix_run(ids: &[&str]) -> usize {
    let mut i = 1;
    loop {
        if i >= ids.len() || !sequential(ids[i - 1], ids[i]) {
            // "x0...x1" is worse than "x0 x1".
            return if i == 2 { 1 } else { i };
        }
        i += 1;
    }
}

/// `print_names`: `eth_src eth_dst` → `eth_{src,dst}`, `reg0 … reg3` → `reg0...reg3`.
pub(super) fn print_names(out: &mut String, mut ids: &[&str], prefix_len: usize) {
    let mut group = 0;
    while !ids.is_empty() {
        if group > 0 {
            out.push(if prefix_len > 0 { ',' } else { ' ' });
        }
        group += 1;
        let (prefix_run, extra) = common_prefix_run(ids, prefix_len);
        let suffix_run = suffix_run(ids);
        let run = prefix_run.max(suffix_run);
        if suffix_run >= prefix_run {
            out.push_str(&String::from_utf8_lossy(tail(ids[0], prefix_len)));
            if run > 1 {
                out.push_str("...");
                out.push_str(&String::from_utf8_lossy(tail(ids[run - 1], prefix_len)));
            }
        } else {
            let t = tail(ids[0], prefix_len);
            out.push_str(&String::from_utf8_lossy(&t[..extra.min(t.len())]));
            out.push('{');
            print_names(out, &ids[..run], prefix_len + extra);
            out.push('}');
        }
        ids = &ids[run..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ids: &[&str]) -> String {
        let mut s = String::new();
        print_names(&mut s, ids, 0);
        s
    }

    #[test]
    fn abbreviates_like_ovs() {
        assert_eq!(
            names(&["eth_src", "eth_dst", "eth_type"]),
            "eth_{src,dst,type}"
        );
        assert_eq!(names(&["reg0", "reg1", "reg2", "reg3"]), "reg0...reg3");
        // Two in a row read better spelled out.
        assert_eq!(names(&["reg0", "reg1"]), "reg0 reg1");
        assert_eq!(
            names(&[
                "nsh_spi", "nsh_si", "nsh_c1", "nsh_c2", "nsh_c3", "nsh_c4", "nsh_ttl"
            ]),
            "nsh_{spi,si,c1...c4,ttl}"
        );
        assert_eq!(
            names(&[
                "tun_id",
                "tun_ipv6_src",
                "tun_ipv6_dst",
                "metadata",
                "ip_dscp"
            ]),
            "tun_{id,ipv6_{src,dst}} metadata ip_dscp"
        );
        assert_eq!(names(&[]), "");
    }
}
