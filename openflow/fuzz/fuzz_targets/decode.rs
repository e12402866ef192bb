//! Fuzz target: arbitrary bytes through `Message::decode` and through the framer.
//!
//! Under cargo-fuzz (feature `libfuzzer`) libFuzzer calls [`check`]. Without the feature this
//! is a plain program for stable Rust: it replays the files named on its command line (each
//! file of a directory), or standard input when none is named, and `--random N [SEED]` runs
//! `N` pseudo-random inputs with plausible headers.

#![cfg_attr(feature = "libfuzzer", no_main)]

use bytes::Bytes;
use openflow::Message;
use openflow::frame::Framer;

#[cfg(feature = "libfuzzer")]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check(data);
});

/// Decoding `data` as one message, and as a stream of messages, never panics; whatever
/// decodes survives a re-encode. Returns whether `data` decoded as one message.
fn check(data: &[u8]) -> bool {
    let decoded = decode_one(&Bytes::copy_from_slice(data));

    // The same bytes as a stream arriving in pieces whose size the input chooses.
    let mut framer = Framer::default();
    let step = data.first().map_or(1, |b| usize::from(b % 23) + 1);
    let mut framed = 0;
    for chunk in data.chunks(step) {
        framer.push(chunk);
        loop {
            match framer.next_frame() {
                Ok(Some(frame)) => {
                    // A frame is exactly the bytes its header's length names, in order.
                    assert_eq!(
                        frame.len(),
                        usize::from(u16::from_be_bytes([frame[2], frame[3]]))
                    );
                    assert_eq!(&frame[..], &data[framed..framed + frame.len()]);
                    framed += frame.len();
                    decode_one(&frame);
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = e.ofp_error();
                    assert!(!e.to_string().is_empty());
                    return decoded;
                }
            }
        }
    }
    decoded
}

fn decode_one(frame: &Bytes) -> bool {
    match Message::decode(frame) {
        Ok(m) => {
            let _ = m.to_string();
            let again = m.encode().expect("a decoded message re-encodes");
            assert_eq!(again.len(), m.wire_len(), "wire_len disagrees with encode");
            let back = Message::decode(&again).expect("re-encoded bytes decode");
            assert_eq!(back, m, "re-encoded bytes decode differently");
            true
        }
        Err(e) => {
            let _ = e.ofp_error();
            assert!(!e.to_string().is_empty());
            false
        }
    }
}

#[cfg(not(feature = "libfuzzer"))]
fn main() -> std::process::ExitCode {
    use std::io::Read;
    use std::process::ExitCode;

    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--random") {
        let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
        let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
        return plain::random(n, seed);
    }
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    if args.is_empty() {
        let mut data = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut data) {
            eprintln!("stdin: {e}");
            return ExitCode::FAILURE;
        }
        inputs.push(("<stdin>".into(), data));
    }
    for arg in &args {
        match plain::read_inputs(arg) {
            Ok(mut v) => inputs.append(&mut v),
            Err(e) => {
                eprintln!("{arg}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (mut failed, mut decoded) = (0, 0);
    for (name, data) in &inputs {
        match std::panic::catch_unwind(|| check(data)) {
            Ok(d) => decoded += usize::from(d),
            Err(_) => {
                eprintln!("FAILED: {name}");
                failed += 1;
            }
        }
    }
    println!(
        "{} inputs ({decoded} decoded), {failed} failed",
        inputs.len()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The stable-Rust driver: input files and a small pseudo-random generator.
#[cfg(not(feature = "libfuzzer"))]
mod plain {
    use std::path::Path;
    use std::process::ExitCode;

    /// The file at `path`, or every file directly inside it.
    pub fn read_inputs(path: &str) -> std::io::Result<Vec<(String, Vec<u8>)>> {
        let p = Path::new(path);
        if !p.is_dir() {
            return Ok(vec![(path.to_string(), std::fs::read(p)?)]);
        }
        let mut out = Vec::new();
        for entry in std::fs::read_dir(p)? {
            let entry = entry?.path();
            if entry.is_file() {
                out.push((entry.display().to_string(), std::fs::read(&entry)?));
            }
        }
        out.sort();
        Ok(out)
    }

    /// xorshift64*: deterministic for a seed, and enough to spread inputs around.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// One message-shaped input: an OpenFlow 1.3 header (mostly true to its length) over a
    /// body of small numbers, lengths and random bytes; sometimes several of them.
    fn input(rng: &mut Rng) -> Vec<u8> {
        let mut out = Vec::new();
        let count = 1 + rng.below(3) / 2;
        for _ in 0..count {
            let max = if rng.below(8) == 0 { 1500 } else { 120 };
            let body_len = rng.below(max) as usize;
            let mut body = Vec::with_capacity(body_len);
            while body.len() < body_len {
                match rng.below(4) {
                    0 => body.push(0),
                    1 => body.extend_from_slice(&(rng.below(64) as u16 * 8).to_be_bytes()),
                    2 => body.extend_from_slice(&(rng.below(32) as u16).to_be_bytes()),
                    _ => body.push(rng.next() as u8),
                }
            }
            let len = if rng.below(10) == 0 {
                rng.next() as u16
            } else {
                (8 + body.len()).min(usize::from(u16::MAX)) as u16
            };
            let version = if rng.below(50) == 0 {
                rng.next() as u8
            } else {
                4
            };
            out.push(version);
            out.push(rng.below(36) as u8);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&(rng.next() as u32).to_be_bytes());
            out.extend_from_slice(&body);
        }
        out
    }

    /// Runs `n` pseudo-random inputs; a failing one is saved as `crash-N.bin`.
    pub fn random(n: u64, seed: u64) -> ExitCode {
        let mut rng = Rng(seed.max(1));
        let mut decoded = 0u64;
        for i in 0..n {
            let data = input(&mut rng);
            match std::panic::catch_unwind(|| super::check(&data)) {
                Ok(d) => decoded += u64::from(d),
                Err(_) => {
                    let name = format!("crash-{i}.bin");
                    let _ = std::fs::write(&name, &data);
                    eprintln!("FAILED on input {i} (seed {seed}), saved as {name}");
                    return ExitCode::FAILURE;
                }
            }
        }
        println!("{n} random inputs ({decoded} decoded), no failure");
        ExitCode::SUCCESS
    }
}
