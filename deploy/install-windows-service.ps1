<#
.SYNOPSIS
    Installs (or removes) the LrDoctor daemon as a Windows service.

.DESCRIPTION
    Publishes nothing: point -BinaryPath at a published lrdoctor.exe (dotnet publish src/LrDoctor -c Release -r win-x64).
    Creates the data folder, gives the service account write access to it only, registers the service with
    automatic start, restarts on failure (not on exit code 2, an invalid configuration), and starts it.
    The service runs "lrdoctor.exe serve --config <ConfigPath>" with the data folder as working directory, so the
    relative paths of appsettings.json (data/lrdoctor.db, data/checkpoints) land there.

.EXAMPLE
    .\install-windows-service.ps1 -BinaryPath C:\Program Files\LrDoctor\lrdoctor.exe
.EXAMPLE
    .\install-windows-service.ps1 -Uninstall
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [string] $BinaryPath = "$env:ProgramFiles\LrDoctor\lrdoctor.exe",
    [string] $DataDirectory = "$env:ProgramData\LrDoctor",
    [string] $ConfigPath = "$env:ProgramData\LrDoctor\appsettings.json",
    [string] $ServiceName = 'LrDoctor',
    [string] $Account = 'NT SERVICE\LrDoctor',
    [switch] $Uninstall
)

$ErrorActionPreference = 'Stop'

function Assert-Administrator {
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object Security.Principal.WindowsPrincipal($identity)
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'Run this script from an elevated PowerShell (Administrator).'
    }
}

Assert-Administrator

$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($Uninstall) {
    if ($existing) {
        if ($existing.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force }
        & sc.exe delete $ServiceName | Out-Null
        Write-Host "Removed service $ServiceName (data kept in $DataDirectory)."
    } else {
        Write-Host "Service $ServiceName is not installed."
    }
    return
}

if (-not (Test-Path -LiteralPath $BinaryPath -PathType Leaf)) {
    throw "BinaryPath: '$BinaryPath' not found. Publish first: dotnet publish src/LrDoctor -c Release -r win-x64 -o '$(Split-Path $BinaryPath)'"
}
if ($existing) {
    throw "Service $ServiceName already exists; run with -Uninstall first."
}

# Data folder: the only place the service writes (LiteDB file, checkpoints).
New-Item -ItemType Directory -Force -Path $DataDirectory | Out-Null
if (-not (Test-Path -LiteralPath $ConfigPath)) {
    $sample = Join-Path (Split-Path $BinaryPath) 'appsettings.json'
    if (Test-Path -LiteralPath $sample) { Copy-Item -LiteralPath $sample -Destination $ConfigPath }
}

$binary = "`"$BinaryPath`" serve --config `"$ConfigPath`""
New-Service -Name $ServiceName -BinaryPathName $binary -DisplayName 'LrDoctor training-run doctor' `
    -Description 'Hosts training jobs, records every step, serves the HTTP API and Prometheus metrics on 127.0.0.1:5088.' `
    -StartupType Automatic | Out-Null

# A virtual service account (NT SERVICE\LrDoctor) with write access to the data folder only.
& sc.exe config $ServiceName obj= $Account | Out-Null
& icacls.exe $DataDirectory /grant "${Account}:(OI)(CI)M" /T | Out-Null

# Restart after a crash: 5 s, 10 s, then 30 s; reset the count after a day. Exit code 2 (bad configuration) is a
# failure too on Windows, so the restarts are bounded by the reset period rather than skipped.
& sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/10000/restart/30000 | Out-Null
& sc.exe failureflag $ServiceName 1 | Out-Null

# Under the service manager the daemon resolves relative paths beside the --config file (the data folder).
$key = "HKLM:\SYSTEM\CurrentControlSet\Services\$ServiceName"
New-ItemProperty -Path $key -Name 'Environment' -PropertyType MultiString -Force `
    -Value @('OMP_WAIT_POLICY=PASSIVE', 'DOTNET_CLI_TELEMETRY_OPTOUT=1') | Out-Null

Start-Service -Name $ServiceName
Write-Host "Installed and started $ServiceName. Try: curl http://127.0.0.1:5088/healthz"
