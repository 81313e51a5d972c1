//! The one way a command fails: a message on standard error and exit status 2.

use std::path::PathBuf;

use cjm_core::CjmError;

/// A failure of the CLI itself: a cjm error with the file it concerns, or an I/O error.
pub enum Failure {
    Cjm(Option<PathBuf>, Box<CjmError>),
    Io(PathBuf, std::io::Error),
}

impl Failure {
    pub fn report(&self) {
        match self {
            Failure::Cjm(Some(path), error) => {
                eprintln!("error[{}]: {}: {error}", error.code(), path.display())
            }
            Failure::Cjm(None, error) => eprintln!("error[{}]: {error}", error.code()),
            Failure::Io(path, error) => eprintln!("error[io]: {}: {error}", path.display()),
        }
    }
}

/// A cjm error that concerns no particular file.
pub fn cjm_failure(error: CjmError) -> Failure {
    Failure::Cjm(None, Box::new(error))
}
