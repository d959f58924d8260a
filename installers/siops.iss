; Inno Setup script of siops-desktop for Windows (build the PyInstaller one-folder first:
; `pyinstaller installers\siops.spec`, then `iscc installers\siops.iss`).
#define Versao "0.1.0"

[Setup]
AppId={{6C7E2F0A-5B1D-4C8E-9B3A-51095A0D0C41}
AppName=SIOPS — Declaração Bimestral
AppVersion={#Versao}
AppPublisher=siops-desktop
DefaultDirName={autopf}\SIOPS
DefaultGroupName=SIOPS
OutputBaseFilename=siops-desktop-{#Versao}-instalador
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern

[Languages]
Name: "brazilianportuguese"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"

[Dirs]
; The standard folder of the declarations (DOMAIN §4), writable by the users.
Name: "C:\MS-SIOPS"; Permissions: users-modify
Name: "C:\MS-SIOPS\MUNICIPAL"; Permissions: users-modify
Name: "C:\MS-SIOPS\ESTADUAL"; Permissions: users-modify

[Files]
Source: "..\dist\siops-desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\SIOPS — Declaração Bimestral"; Filename: "{app}\siops.exe"
Name: "{group}\Transmissor (SIOPSNET)"; Filename: "{app}\siopsnet.exe"
Name: "{group}\Desinstalar o SIOPS"; Filename: "{uninstallexe}"
Name: "{autodesktop}\SIOPS"; Filename: "{app}\siops.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Criar um atalho na área de trabalho"; GroupDescription: "Atalhos:"

[Registry]
Root: HKCR; Subkey: ".OPS"; ValueType: string; ValueData: "SIOPS.Declaracao"; Flags: uninsdeletevalue
Root: HKCR; Subkey: "SIOPS.Declaracao"; ValueType: string; ValueData: "Declaração do SIOPS"; Flags: uninsdeletekey
Root: HKCR; Subkey: "SIOPS.Declaracao\shell\open\command"; ValueType: string; ValueData: """{app}\siops.exe"" abrir ""%1"""

[Run]
Filename: "{app}\siops.exe"; Description: "Abrir o SIOPS agora"; Flags: nowait postinstall skipifsilent
