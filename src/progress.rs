//! Progress of a long command on standard error: while the work runs, a status line that
//! counts the seconds on a terminal, and a line every few seconds otherwise (a log collector
//! or a CI log keeps each). Quiet for work done within the first interval.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where progress lines go, and how they are drawn.
#[derive(Clone)]
enum Sink {
    /// A terminal: one line, redrawn in place, and cleared at the end.
    Terminal,
    /// Anything else: a whole line each time.
    Lines(Arc<Mutex<dyn Write + Send>>),
}

/// Reports on `what` while it is alive; dropping it ends the reports.
pub struct Progress {
    ticker: tokio::task::JoinHandle<()>,
    sink: Sink,
    drawn: Arc<AtomicBool>,
}

impl Progress {
    /// Starts reporting on standard error: each second on a terminal, each 5 s otherwise.
    pub fn start(what: impl Into<String>) -> Self {
        if std::io::stderr().is_terminal() {
            Self::with(what.into(), Duration::from_secs(1), Sink::Terminal)
        } else {
            let stderr: Arc<Mutex<dyn Write + Send>> = Arc::new(Mutex::new(std::io::stderr()));
            Self::with(what.into(), Duration::from_secs(5), Sink::Lines(stderr))
        }
    }

    /// Starts reporting a line every `every` to `out`.
    pub fn lines_to(
        what: impl Into<String>,
        every: Duration,
        out: Arc<Mutex<dyn Write + Send>>,
    ) -> Self {
        Self::with(what.into(), every, Sink::Lines(out))
    }

    fn with(what: String, every: Duration, sink: Sink) -> Self {
        let drawn = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let (ticks, marked) = (sink.clone(), drawn.clone());
        // A task of its own: the work may block its thread (writing a file) between awaits.
        let ticker = tokio::spawn(async move {
            let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                interval.tick().await;
                let seconds = started.elapsed().as_secs();
                // Progress is best effort: a closed standard error stops nothing.
                let _ = match &ticks {
                    Sink::Terminal => {
                        let mut err = std::io::stderr().lock();
                        write!(err, "\r\x1b[Kropa: {what}… {seconds} s").and_then(|()| err.flush())
                    }
                    Sink::Lines(out) => match out.lock() {
                        Ok(mut out) => writeln!(out, "ropa: {what}… {seconds} s"),
                        Err(_) => Ok(()),
                    },
                };
                marked.store(true, Ordering::SeqCst);
            }
        });
        Self {
            ticker,
            sink,
            drawn,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.ticker.abort();
        if matches!(self.sink, Sink::Terminal) && self.drawn.load(Ordering::SeqCst) {
            // The status line makes way for what the command prints next.
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn long_work_is_reported_every_interval_until_it_ends() {
        let out: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink: Arc<Mutex<dyn Write + Send>> = out.clone();
        let progress = Progress::lines_to("importing big.yaml", Duration::from_millis(10), sink);
        let lines = || String::from_utf8(out.lock().unwrap().clone()).unwrap();
        // Bounded: at most two seconds for three ticks of 10 ms.
        for _ in 0..200 {
            if lines().lines().count() >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(progress);
        let reported = lines();
        assert!(reported.lines().count() >= 3, "{reported}");
        assert!(
            reported
                .lines()
                .all(|l| l.starts_with("ropa: importing big.yaml… ") && l.ends_with(" s")),
            "{reported}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(lines(), reported, "nothing after the work ended");
    }

    #[tokio::test]
    async fn quick_work_says_nothing() {
        let out: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink: Arc<Mutex<dyn Write + Send>> = out.clone();
        drop(Progress::lines_to(
            "exporting",
            Duration::from_secs(5),
            sink,
        ));
        assert!(out.lock().unwrap().is_empty());
    }
}
