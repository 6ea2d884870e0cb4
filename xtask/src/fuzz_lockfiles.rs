//! `cargo xtask fuzz-lockfiles [--seconds N] [--seed S]`: a bounded-time mutation fuzzer for
//! the lockfile parsers, with no dependencies of its own.
//!
//! For each format it starts from the fixtures under
//! `crates/skillaudit-deps/tests/fixtures/lockfiles/`, mutates them (bit flips, structural
//! characters, interesting tokens, deep nesting, duplicated lines, splices with other fixtures,
//! truncation) and feeds each input to `skillaudit_deps::lockfile::fuzz_one` under
//! `catch_unwind`. A panic, or a single call taking over a second, is a failure: the input is
//! saved under `target/fuzz-crashes/` (one per distinct panic message, every slow one) and the
//! command exits non-zero. The time is shared equally between formats (default 30 s in all);
//! `--seed` replays a run.
//!
//! A stack overflow or an out-of-memory abort cannot be caught: the input being run is kept in
//! `target/fuzz-crashes/in-flight-<format>.bin` until the run ends cleanly.

use skillaudit_deps::lockfile::{self, LockFormat};
use std::collections::{BTreeMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A call slower than this is a failure.
const SLOW_CALL: Duration = Duration::from_secs(1);
/// Largest mutated input.
const MAX_INPUT: usize = 1024 * 1024;
/// Largest input kept in a format's pool for further mutation.
const MAX_POOLED_INPUT: usize = 256 * 1024;
/// Most inputs in a format's pool.
const MAX_POOL: usize = 256;
/// Time slice per format before moving to the next, so every format gets its share even if
/// the run is cut short.
const SLICE: Duration = Duration::from_millis(250);

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

pub fn main(root: &Path, args: &[String]) -> ExitCode {
    let mut seconds: u64 = 30;
    let mut seed: Option<u64> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = |v: Option<&String>, name: &str| -> Result<u64, String> {
            v.and_then(|s| s.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        let parsed = match arg.as_str() {
            "--seconds" => value(rest.next(), "--seconds").map(|v| seconds = v),
            "--seed" => value(rest.next(), "--seed").map(|v| seed = Some(v)),
            other => Err(format!("unknown argument {other}")),
        };
        if let Err(message) = parsed {
            eprintln!("{message}\nusage: cargo xtask fuzz-lockfiles [--seconds N] [--seed S]");
            return ExitCode::from(2);
        }
    }
    let seed = seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x5eed, |d| d.as_nanos() as u64)
    });
    let fixtures = root.join("crates/skillaudit-deps/tests/fixtures/lockfiles");
    let crash_dir = root.join("target/fuzz-crashes");
    if let Err(err) = std::fs::create_dir_all(&crash_dir) {
        eprintln!("cannot create {}: {err}", crash_dir.display());
        return ExitCode::FAILURE;
    }
    let mut seeds: BTreeMap<LockFormat, Vec<Vec<u8>>> = BTreeMap::new();
    let mut donors: Vec<Vec<u8>> = Vec::new();
    for path in files_under(&fixtures) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(format) = lockfile::format_of(&name) {
            seeds.entry(format).or_default().push(bytes.clone());
        }
        donors.push(bytes);
    }
    if donors.is_empty() {
        eprintln!("no fixtures under {}", fixtures.display());
        return ExitCode::FAILURE;
    }
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));

    println!("fuzz-lockfiles: {seconds} s, seed {seed}");
    // Formats without fixtures (the refused binary bun.lockb) have nothing to mutate.
    let formats: Vec<LockFormat> = LockFormat::ALL
        .into_iter()
        .filter(|f| seeds.contains_key(f))
        .collect();
    let mut pools: Vec<Vec<Vec<u8>>> = formats
        .iter()
        .map(|f| {
            let mut pool = seeds.remove(f).unwrap_or_default();
            pool.push(Vec::new());
            pool
        })
        .collect();
    let seed_counts: Vec<usize> = pools.iter().map(Vec::len).collect();
    let mut stats = vec![Stats::default(); formats.len()];
    let mut rng = Rng::new(seed);
    let per_format = Duration::from_secs(seconds) / u32::try_from(formats.len()).unwrap_or(1);
    let mut failures = 0usize;
    let mut seen_panics: HashSet<String> = HashSet::new();
    loop {
        let mut ran = false;
        for (index, &format) in formats.iter().enumerate() {
            if stats[index].time >= per_format {
                continue;
            }
            ran = true;
            let in_flight = crash_dir.join(format!("in-flight-{}.bin", format.name()));
            let slice_start = Instant::now();
            while slice_start.elapsed() < SLICE
                && stats[index].time + slice_start.elapsed() < per_format
            {
                let pool = &pools[index];
                let base = &pool[rng.below(pool.len())];
                let input = mutate(&mut rng, base, &donors);
                // Kept on disk while it runs: an abort (stack overflow) leaves it behind.
                let _ = std::fs::write(&in_flight, &input);
                let start = Instant::now();
                let outcome = catch_unwind(AssertUnwindSafe(|| lockfile::fuzz_one(format, &input)));
                let took = start.elapsed();
                stats[index].iterations += 1;
                if outcome.is_err() {
                    let message = LAST_PANIC
                        .lock()
                        .ok()
                        .and_then(|mut m| m.take())
                        .unwrap_or_default();
                    // One saved input per distinct panic: a bug found again is only counted.
                    if seen_panics.insert(message.clone()) {
                        let saved = save(&crash_dir, "crash", format, &input);
                        println!("CRASH {format}: {message}\n  input saved to {saved}");
                    }
                    stats[index].crashes += 1;
                    failures += 1;
                } else if took > SLOW_CALL {
                    let saved = save(&crash_dir, "slow", format, &input);
                    println!(
                        "SLOW {format}: {} ms\n  input saved to {saved}",
                        took.as_millis()
                    );
                    stats[index].slow += 1;
                    failures += 1;
                } else if input.len() <= MAX_POOLED_INPUT && rng.below(32) == 0 {
                    // Grown inputs replace each other; the fixtures stay.
                    let pool = &mut pools[index];
                    let fixed = seed_counts[index];
                    if pool.len() < MAX_POOL {
                        pool.push(input);
                    } else {
                        let at = fixed + rng.below(pool.len() - fixed);
                        pool[at] = input;
                    }
                }
            }
            stats[index].time += slice_start.elapsed();
            let _ = std::fs::remove_file(&in_flight);
        }
        if !ran {
            break;
        }
    }
    let _ = std::panic::take_hook();
    println!(
        "{:<14} {:>10} {:>8} {:>6}",
        "format", "iterations", "crashes", "slow"
    );
    for (format, stat) in formats.iter().zip(&stats) {
        println!(
            "{:<14} {:>10} {:>8} {:>6}",
            format.name(),
            stat.iterations,
            stat.crashes,
            stat.slow
        );
    }
    if failures > 0 {
        println!(
            "{failures} failing inputs ({} distinct panics); inputs saved under {}",
            seen_panics.len(),
            crash_dir.display()
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[derive(Debug, Clone, Default)]
struct Stats {
    iterations: u64,
    crashes: u64,
    slow: u64,
    time: Duration,
}

/// xorshift64* — enough randomness for mutation, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Zero is xorshift's fixed point.
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-enough in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next() % n as u64) as usize
    }
}

const STRUCTURAL: &[u8] = b"{}[]:\",-\n \t#'@/()=*&!|>\\_.";

const TOKENS: &[&[u8]] = &[
    b"\0",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"99999999999999999999999",
    b"\"\"",
    b"{}",
    b"[]",
    b"node_modules/",
    b"/node_modules/",
    b"node_modules/a/node_modules/a",
    b"@",
    b"@scope/",
    b"npm:",
    b"npm:a@",
    b"workspace:",
    b"patch:",
    b"link:",
    b"file:",
    b"(",
    b")",
    b"_",
    b"==",
    b"===",
    b"\\\n",
    b"# ",
    b" --hash=",
    b"-r ",
    b"-e ",
    b"//",
    b"/*",
    b"*/",
    b"&a ",
    b"*a",
    b"<<: *a",
    b"!!binary ",
    b"[[package]]\n",
    b"[package.dependencies]\n",
    b"__metadata:\n",
    b"\"version\": ",
    b"version: ",
    b"\"lockfileVersion\": ",
    b"lockfileVersion: ",
    b" // indirect",
    b"/go.mod",
    b"require (\n",
    b"\xEF\xBB\xBF",
    b"\xF0\x9F\x98\x80",
    b"\xFF\xFE",
    b"\r\n",
    b"\x1b[31m",
];

/// 1 to 8 random mutations of `input`.
fn mutate(rng: &mut Rng, input: &[u8], donors: &[Vec<u8>]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        match rng.below(11) {
            0 if len > 0 => {
                let at = rng.below(len);
                data[at] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let at = rng.below(len);
                data[at] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(len + 1);
                let c = STRUCTURAL[rng.below(STRUCTURAL.len())];
                data.insert(at, c);
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                data.drain(at..end);
            }
            4 if len > 0 => {
                // Duplicate the line around a random point, up to 16 times.
                let at = rng.below(len);
                let start = data[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let end = data[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(len, |i| at + i + 1);
                let line = data[start..end].to_vec();
                for _ in 0..1 + rng.below(16) {
                    data.splice(end..end, line.iter().copied());
                }
            }
            5 => {
                let donor = &donors[rng.below(donors.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(donor.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&donor[from..]);
            }
            6 if len > 0 => {
                data.truncate(rng.below(len));
            }
            7 => {
                let at = rng.below(len + 1);
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            8 => {
                // Deep nesting or a long run: openers, YAML list dashes, indentation, letters.
                let at = rng.below(len + 1);
                let unit: &[u8] = match rng.below(6) {
                    0 => b"[",
                    1 => b"{\"a\":",
                    2 => b"- ",
                    3 => b"  ",
                    4 => b"a",
                    _ => b"node_modules/x/",
                };
                let times = 1 + rng.below(2000);
                let run: Vec<u8> = unit
                    .iter()
                    .copied()
                    .cycle()
                    .take(unit.len() * times)
                    .collect();
                data.splice(at..at, run);
            }
            9 if len > 1 => {
                // Copy a chunk of the input elsewhere in it.
                let from = rng.below(len);
                let end = (from + 1 + rng.below(256)).min(len);
                let chunk = data[from..end].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk);
            }
            _ => {
                let at = rng.below(len + 1);
                let count = 1 + rng.below(64);
                let noise: Vec<u8> = (0..count).map(|_| rng.next() as u8).collect();
                data.splice(at..at, noise);
            }
        }
        data.truncate(MAX_INPUT);
    }
    data
}

/// Saves a failing input as `<kind>-<format>-<hash>.bin`; returns its path for the report.
fn save(dir: &Path, kind: &str, format: LockFormat, input: &[u8]) -> String {
    // FNV-1a: a stable name, so one input found twice is saved once.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let path = dir.join(format!("{kind}-{}-{hash:016x}.bin", format.name()));
    match std::fs::write(&path, input) {
        Ok(()) => path.display().to_string(),
        Err(err) => format!("(not saved: {err})"),
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
