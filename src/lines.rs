//! A reader that hands a source on line by line, each line looked at — and rewritten, or
//! refused — on its way: what a restore feeds psql (`conn::sql_only`) and what a CSV seed
//! feeds COPY (`seed_csv::CopySafe`). Reads fill the caller's buffer with as many lines as
//! fit, so the consumer still gets large writes, not one per line.

use std::io::{self, BufRead, Read};

/// What happens to each line (with its end of line, if it has one).
pub(crate) trait Rewrite {
    fn line(&mut self, line: &mut Vec<u8>) -> io::Result<()>;
}

pub(crate) struct Rewritten<R, W> {
    source: R,
    rewrite: W,
    line: Vec<u8>,
    /// How much of `line` was handed out.
    given: usize,
    /// Bytes of the source read since [`take_read`](Self::take_read) last said.
    read: u64,
}

impl<R: BufRead, W: Rewrite> Rewritten<R, W> {
    pub(crate) fn new(source: R, rewrite: W) -> Self {
        Rewritten {
            source,
            rewrite,
            line: Vec::new(),
            given: 0,
            read: 0,
        }
    }

    /// How much of the source was read since the last call (for progress).
    pub(crate) fn take_read(&mut self) -> u64 {
        std::mem::take(&mut self.read)
    }

    fn next_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        self.given = 0;
        let n = self.source.read_until(b'\n', &mut self.line)?;
        if n == 0 {
            return Ok(false);
        }
        self.read += n as u64;
        self.rewrite.line(&mut self.line)?;
        Ok(true)
    }
}

impl<R: BufRead, W: Rewrite> Read for Rewritten<R, W> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        while filled < buf.len() {
            if self.given == self.line.len() && !self.next_line()? {
                break;
            }
            let n = (buf.len() - filled).min(self.line.len() - self.given);
            buf[filled..filled + n].copy_from_slice(&self.line[self.given..self.given + n]);
            self.given += n;
            filled += n;
        }
        Ok(filled)
    }
}
