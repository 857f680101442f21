"""The wordings of the portal: the labels the guides document, and every other sentence.

``official`` is the wording of the portal's own page (Registar, Ativar conta, ...); ``guide`` is
the wording a relocation guide quotes (Efetuar Registo, Ativar a minha conta, ...) together with
the login choice as the portal has worded it since 2025. Both write every other sentence as the
templates and screens do.

``paraphrase`` is a portal this project did not write: the documented labels as the relocation
guide words them, and every sentence that no guide quotes in Portuguese (headings, intros,
hints, confirmations, errors, titles) worded otherwise, each in ``PARAPHRASE``. Labels that the
guides give only in English keep their key words (``pages.labels``: their ``meaning``). A
harness that passes on it recognises screens by documented labels, not by our sentences.

Templates and screens write each sentence in the official wording and pass it through
``say``, with its variable parts as ``{placeholders}``::

    page.say("O código não está correto. Resta-lhe {left} {plural}.", left=2, plural=...)

A sentence whose official text is also a documented label (a heading "Iniciar sessão" above the
action "Iniciar sessão") is said by a name from ``NAMED`` instead, so rewording the sentence can
never touch the label.
"""

from __future__ import annotations

import re
import string
from functools import cache

PROFILES: dict[str, dict[str, str]] = {
    "official": {
        "ss_user": "Autenticação com o seu utilizador da Segurança Social",
        "register": "Registar",
        "activate": "Ativar conta",
        "accept_terms": "Li e aceito os termos e condições",
        "done_title": "Pedido de registo efetuado",
    },
    "guide": {
        "ss_user": "Autenticar com utilizador da Segurança Social",
        "register": "Efetuar Registo",
        "activate": "Ativar a minha conta",
        "accept_terms": "Li e aceito os termos e condições do serviço",
        "done_title": "Registo efetuado",
    },
    "paraphrase": {
        "ss_user": "Autenticar com utilizador da Segurança Social",
        "register": "Efetuar Registo",
        "activate": "Ativar a minha conta",
        "accept_terms": "Li e aceito os termos e condições do serviço",
        "done_title": "Pedido registado",
    },
}
DEFAULT = "official"

# Sentences said by name: their official text is a documented label too.
NAMED: dict[str, str] = {
    "home.title": "Segurança Social | Segurança Social",
    "home.card.service": "Segurança Social Direta",
    "home.card.cmd": "Chave Móvel Digital",
    "login.heading": "Iniciar sessão",
    "reg_channel.heading": "Canal de verificação",
    "contacts_code.heading": "Validar contactos",
    "reset.heading": "Perdi a minha palavra-passe",
}

# Official sentence (or name) -> the paraphrase profile's sentence, with the same placeholders.
PARAPHRASE: dict[str, str] = {
    # Every page: title, header, footer, error markers.
    "{heading} | Segurança Social": "{heading} · Instituto da Segurança Social",
    "Segurança Social": "Instituto da Segurança Social",
    "SS": "ISS",
    "Saltar para o conteúdo": "Ir para o conteúdo principal",
    "Principal": "Menu",
    "Início": "Página inicial",
    "Ajuda": "Apoio",
    "Instituto da Segurança Social, I.P. · Portal de demonstração para testes: "
    "não é o portal oficial.": "Réplica para ensaios automáticos: este não é o sítio "
    "oficial do Instituto da Segurança Social, I.P.",
    "Verifique os dados indicados": "Há dados por corrigir",
    "Erro:": "Atenção:",
    "Recomeçar": "Começar de novo",
    "Voltar à página inicial": "Ir para a página inicial",
    "Página não encontrada": "Esta página não existe",
    "A página que procura não existe ou mudou de endereço.": "O endereço pode estar errado "
    "ou a página pode ter sido retirada.",
    "Método não permitido.": "Esta operação não é aceite neste endereço.",
    # Home.
    "home.title": "Instituto da Segurança Social",
    "Portal da Segurança Social": "Bem-vindo à Segurança Social",
    "Aceda à Segurança Social Direta para consultar a sua situação contributiva, pedir "
    "prestações, emitir declarações e muito mais.": "Trate dos seus assuntos com a "
    "Segurança Social sem sair de casa: contribuições, prestações, declarações e outros "
    "serviços.",
    "Destaques": "Em evidência",
    "home.card.service": "O serviço online",
    "O seu serviço online, disponível 24 horas por dia.": "Disponível a qualquer hora, "
    "todos os dias do ano.",
    "Primeiro acesso": "É a primeira vez?",
    "Ainda não tem palavra-passe? Registe-se e ative a sua conta com o código de "
    "verificação.": "Se ainda não tem acesso, faça o registo e ative a conta com o código "
    "que lhe enviarmos.",
    "home.card.cmd": "Entrar com o telemóvel",
    "Entre com o seu telemóvel através de Autenticação.gov.": "Use a Chave Móvel Digital na "
    "Autenticação.gov, sem palavra-passe.",
    # Login.
    "login.heading": "Aceder à Segurança Social Direta",
    "Escolha como se quer autenticar na Segurança Social Direta.": "Selecione uma das formas "
    "de autenticação disponíveis.",
    "Chave Móvel Digital ou Cartão de Cidadão.": "Com a Chave Móvel Digital ou com o Cartão "
    "de Cidadão.",
    "Número de Identificação da Segurança Social, com 11 algarismos.": "O seu número de "
    "Segurança Social (11 dígitos).",
    "Indique a palavra-passe.": "Falta a palavra-passe.",
    "A sua conta ainda não foi ativada. Use «{activate}» com o código de verificação que "
    "recebeu.": "Esta conta ainda não está ativa: use «{activate}» e o código que lhe enviámos.",
    "O NISS ou a palavra-passe não estão corretos.": "NISS ou palavra-passe errados.",
    "Sessão indisponível": "Não é possível continuar",
    "Inicie sessão novamente.": "Autentique-se outra vez.",
    "Escolha um dos canais indicados.": "Selecione um canal da lista.",
    "Verificação em dois passos": "Confirmação de identidade",
    "Por segurança, enviamos-lhe um código de autenticação. Escolha como o quer receber.": (
        "Para sua proteção, confirmamos o acesso com um código. Onde o quer receber?"
    ),
    "Introduza o código de autenticação que lhe enviámos ({channel}).": "Escreva o código que "
    "acabou de receber ({channel}).",
    "Inicie sessão de novo para receber outro código.": "Volte a autenticar-se para receber "
    "outro código.",
    # Contacts and the personal area.
    "Atualize e valide os seus contactos": "Confirme os seus contactos",
    "Mantenha o seu email e telemóvel atualizados: são usados para lhe enviar códigos e avisos "
    "da Segurança Social. Vamos enviar um código de validação para o contacto indicado.": (
        "Usamos o seu email e o seu telemóvel para lhe mandar códigos e avisos. Confirme-os: "
        "enviaremos um código de validação para o contacto que indicar."
    ),
    "Números estrangeiros com o indicativo do país, por exemplo +44.": "Para um número "
    "estrangeiro, comece pelo indicativo (ex.: +44).",
    "Indique pelo menos um contacto: email ou telemóvel.": "Preencha o email, o telemóvel ou "
    "ambos.",
    "contacts_code.heading": "Falta só um passo",
    "Enviámos um código de validação para {masked}.": "O código de validação seguiu para {masked}.",
    "Volte a indicar os contactos.": "Indique de novo os seus contactos.",
    "Os seus contactos foram atualizados e validados.": "Contactos confirmados.",
    "Bem-vindo(a), {name}. A sua sessão está iniciada.": "Olá, {name}! Está na sua área pessoal.",
    "Serviços": "Os seus serviços",
    "Situação contributiva": "Carreira contributiva",
    "Prestações": "Pedidos de apoio",
    "Declarações": "Emitir comprovativos",
    "Perfil e contactos": "Os meus dados",
    "Sessão terminada": "Saiu com segurança",
    "Terminou a sessão na Segurança Social Direta.": "Saiu da Segurança Social Direta. Até breve!",
    "Sessão não iniciada": "Acesso reservado",
    "Para continuar, inicie sessão na Segurança Social Direta.": "Esta página só está "
    "disponível depois de se autenticar.",
    # Registration.
    "Registo na Segurança Social Direta": "Novo registo",
    "Termos e condições": "Condições do serviço",
    "Texto dos termos e condições": "Condições de utilização",
    "Condições de utilização da Segurança Social Direta": "O que aceita ao registar-se",
    "1. A Segurança Social Direta é um serviço online do Instituto da Segurança Social, I.P., "
    "que permite consultar informação e efetuar pedidos junto da Segurança Social.": (
        "1. Através da Segurança Social Direta, serviço do Instituto da Segurança Social, "
        "I.P., pode consultar os seus dados e fazer pedidos pela internet."
    ),
    "2. O acesso é pessoal e intransmissível. O utilizador compromete-se a guardar a sua "
    "palavra-passe e os códigos que receber, e a não os partilhar com terceiros.": (
        "2. Só o titular pode usar o acesso: mantenha em segredo a palavra-passe e os códigos, "
        "sem os dar a ninguém."
    ),
    "3. O código de verificação é enviado para os contactos registados no Sistema de "
    "Informação da Segurança Social ou, na sua falta, por carta para a morada registada.": (
        "3. O código chega ao email ou telemóvel que a Segurança Social tem registado; sem "
        "estes, segue por carta para a sua morada."
    ),
    "4. Os dados pessoais são tratados nos termos do Regulamento Geral sobre a Proteção de "
    "Dados.": "4. Tratamos os seus dados pessoais de acordo com o RGPD.",
    "Dados de identificação": "Identificação",
    "Tipo de conta": "Para quem é a conta?",
    "Para pessoas singulares, incluindo trabalhadores independentes.": "Particulares, também "
    "se trabalhar por conta própria.",
    "Para pessoas coletivas e entidades empregadoras.": "Sociedades, associações e outras "
    "entidades patronais.",
    "Data de nascimento": "A sua data de nascimento",
    "No formato dd-mm-aaaa, por exemplo 31-12-1980.": "Escreva dia-mês-ano, como 31-12-1980.",
    "Escolha o tipo de conta.": "Indique para quem é a conta.",
    "Confirme que não é um robô.": "Marque a caixa «Não sou robô».",
    "O NISS indicado não corresponde ao tipo de conta escolhido.": "Este NISS não é de uma "
    "conta do tipo escolhido.",
    "Não encontrámos este NISS no Sistema de Informação da Segurança Social. Confirme o número "
    "no seu cartão ou documento de identificação.": "Este NISS não consta dos registos da "
    "Segurança Social. Verifique-o no seu cartão ou noutro documento.",
    "A data de nascimento não corresponde ao NISS indicado.": "Esta data de nascimento não é "
    "a que temos para o NISS.",
    "Este NISS já tem registo na Segurança Social Direta. Inicie sessão com a sua "
    "palavra-passe ou, se não se lembra dela, use «Perdi a minha palavra-passe».": (
        "O NISS já tem acesso à Segurança Social Direta: entre com a palavra-passe ou "
        "recupere-a em «Perdi a minha palavra-passe»."
    ),
    "Registo indisponível": "Não foi possível registar",
    "O registo já não pode ser concluído.": "Já não é possível terminar este registo.",
    "NISS já registado": "Este NISS já tem conta",
    "Este NISS já tem registo na Segurança Social Direta.": "Já existe um registo na Segurança "
    "Social Direta para este NISS.",
    "reg_channel.heading": "Como quer receber o código?",
    "A Segurança Social vai enviar-lhe um código de verificação para definir a sua "
    "palavra-passe. Escolha como o quer receber.": "Para criar a sua palavra-passe precisa de "
    "um código. Diga-nos para onde o enviamos.",
    "Para a morada registada no Sistema de Informação da Segurança Social.": "Enviada para a "
    "sua morada nos registos da Segurança Social.",
    "Não tem email nem telemóvel registados no Sistema de Informação da Segurança Social, por "
    "isso a opção disponível é {letter}: o código é enviado para a morada registada, em regra "
    "no prazo de {days} dias úteis.": "Como a Segurança Social não tem o seu email nem o seu "
    "telemóvel, só pode receber o código {letter}, na sua morada, normalmente em {days} dias "
    "úteis.",
    "O pedido de acesso à Segurança Social Direta foi efetuado com sucesso.": "O seu pedido "
    "de registo ficou concluído.",
    "O código de verificação será enviado por carta para a morada registada no Sistema de "
    "Informação da Segurança Social, em regra no prazo de {days} dias úteis (até {date}).": (
        "A carta com o código segue para a sua morada e deve chegar em {days} dias úteis, "
        "até {date}."
    ),
    "Enviámos-lhe o código de verificação ({channel}). O código é válido durante "
    "{minutes}.": "O código seguiu por {channel} e pode ser usado durante {minutes}.",
    "Depois de receber o código, ative a sua conta:": "Quando tiver o código, ative a conta aqui:",
    # Activation and password reset: codes and passwords.
    "Introduza o seu NISS e o código de verificação que recebeu no canal que indicou.": (
        "Escreva o NISS e o código que lhe enviámos pelo canal escolhido."
    ),
    "Código de verificação": "Código recebido",
    "O código tem 6 algarismos. Use sempre o código mais recente que recebeu.": "São 6 "
    "dígitos. Se pediu mais do que um código, use o último.",
    "O código tem 6 algarismos.": "São 6 dígitos.",
    "Não existe um pedido de registo para este NISS. Comece por «{register}».": "Este NISS "
    "não tem nenhum registo pendente: use primeiro «{register}».",
    "Esta conta já está ativa. Inicie sessão com a sua palavra-passe ou use «Perdi a minha "
    "palavra-passe».": "A conta deste NISS já foi ativada. Entre com a sua palavra-passe ou "
    "recupere-a em «Perdi a minha palavra-passe».",
    "Se necessário, peça um novo código em «{register}».": "Pode pedir outro código em "
    "«{register}».",
    "O código não está correto. Resta-lhe {left} {plural}.": "Código errado: ainda tem "
    "{left} {plural}.",
    "O código expirou. Confirme que está a introduzir o código mais recente (ativo) que "
    "recebeu. {hint}": "Este código já não é válido porque passou o prazo. Use o último "
    "código que recebeu. {hint}",
    "Este código já foi utilizado. {hint}": "Este código já foi usado antes. {hint}",
    "Excedeu o número de tentativas permitidas. Por segurança, esta operação ficou bloqueada. "
    "Tente novamente depois das {when} (hora de Lisboa UTC).": "Demasiadas tentativas "
    "falhadas: por segurança, bloqueámos esta operação até às {when} (hora de Lisboa UTC).",
    "Acesso bloqueado temporariamente": "Operação bloqueada por agora",
    "Definir palavra-passe": "Escolha a sua palavra-passe",
    "Nova palavra-passe": "Defina uma nova palavra-passe",
    "Regras de formação da palavra-passe": "Requisitos da palavra-passe",
    "A palavra-passe deve:": "Escolha uma palavra-passe que:",
    "Confirmação da palavra-passe": "Repita a palavra-passe",
    "Ativação indisponível": "Não foi possível ativar",
    "A ativação já não pode ser concluída.": "Já não é possível terminar esta ativação.",
    "Conta já ativa": "A conta já estava ativa",
    "Esta conta já foi ativada.": "A ativação desta conta foi feita anteriormente.",
    "Conta ativada": "A sua conta está pronta",
    "A sua conta na Segurança Social Direta foi ativada com sucesso.": "Concluiu a ativação "
    "da sua conta.",
    "Já": "Agora",
    "reset.heading": "Recuperar o acesso",
    "Indique o seu NISS e a sua data de nascimento para receber um código e definir uma nova "
    "palavra-passe.": "Para escolher outra palavra-passe, identifique-se com o NISS e a data "
    "em que nasceu; depois enviamos-lhe um código.",
    "Já recebeu o código?": "Tem um código?",
    "O NISS e a data de nascimento não correspondem a uma conta.": "Não há nenhuma conta com "
    "este NISS e esta data de nascimento.",
    "Este NISS ainda não tem registo. Use «{register}».": "Ainda não há registo para este "
    "NISS: comece por «{register}».",
    "A conta deste NISS ainda não foi ativada. Use «{activate}» com o código de verificação "
    "que recebeu.": "Falta ativar a conta deste NISS: use «{activate}» e o código que recebeu.",
    "Pedido indisponível": "Não foi possível continuar",
    "O pedido já não pode ser concluído.": "Já não é possível terminar este pedido.",
    "Escolha como quer receber o código para definir uma nova palavra-passe.": "Onde quer "
    "receber o código para escolher outra palavra-passe?",
    "Código enviado": "Código a caminho",
    "Enviámos-lhe um código de verificação ({channel}). Introduza-o para definir uma nova "
    "palavra-passe.": "O código seguiu por {channel}. Com ele, escolha a nova palavra-passe.",
    "Introduza o seu NISS e o código de verificação que recebeu.": "Escreva o NISS e o "
    "código que lhe enviámos.",
    "Se necessário, peça um novo código em «Perdi a minha palavra-passe».": "Pode pedir "
    "outro código em «Perdi a minha palavra-passe».",
    "Conta indisponível": "Conta inativa",
    "Esta conta não está ativa.": "A conta não está ativa neste momento.",
    "A sua nova palavra-passe foi definida com sucesso.": "A partir de agora, use a nova "
    "palavra-passe.",
    # Autenticação.gov and the Chave Móvel Digital.
    "A Segurança Social Direta pede a sua autenticação. Escolha o método de autenticação.": (
        "Para entrar na Segurança Social Direta, identifique-se com um dos meios abaixo."
    ),
    "Com o seu número de telemóvel, PIN e um código de segurança por SMS.": "Telemóvel, PIN "
    "de 4 dígitos e um código enviado por SMS.",
    "Requer um leitor de cartões: indisponível neste portal.": "Precisa de um leitor de "
    "cartões, que este portal não suporta.",
    "Número de telemóvel": "N.º de telemóvel",
    "Com o indicativo do país, por exemplo +351 912 345 678.": "Inclua o indicativo, como em "
    "+351 912 345 678.",
    "O PIN de 4 algarismos da Chave Móvel Digital.": "Os 4 dígitos do seu PIN.",
    "O número de telemóvel ou o PIN não estão corretos.": "Telemóvel ou PIN errados.",
    "Autorização": "Pedido de autorização",
    "A {service} pede autorização para aceder aos seguintes dados:": "O serviço {service} "
    "quer aceder a estes dados:",
    "Nome completo": "Nome",
    "Cancelar": "Recusar",
    "Autenticação cancelada": "Autenticação interrompida",
    "Cancelou a autenticação. Nenhum dado foi partilhado.": "Não autorizou o acesso, por isso "
    "não partilhámos nenhum dado.",
    "Voltar a Iniciar sessão": "Regressar ao início de sessão",
    "Autenticação indisponível": "Não é possível prosseguir",
    "Recomece a autenticação.": "Volte a começar a autenticação.",
    "Código de segurança": "Código temporário",
    "Introduza o código de segurança temporário de 6 algarismos que enviámos por SMS para o "
    "seu telemóvel.": "Escreva os 6 dígitos que acabámos de lhe enviar por SMS.",
    "A sua conta na Segurança Social Direta foi criada com a Chave Móvel Digital.": "Criámos "
    "a sua conta com os dados da Chave Móvel Digital.",
    # The cookie-consent banner (sso markup); its actions are customary labels.
    "Este portal utiliza cookies": "Privacidade e cookies",
    "Usamos cookies necessários ao funcionamento do portal e, com o seu consentimento, cookies "
    "que medem a sua utilização para o melhorar. Pode aceitar todos ou rejeitar os que não são "
    "necessários.": "Além dos cookies indispensáveis, gostaríamos de usar cookies de "
    "estatística. A escolha é sua.",
    # Requests the portal cannot read, and sessions.
    "Pedido inválido": "Não foi possível processar o pedido",
    "O formulário foi enviado num formato inválido.": "O formulário chegou num formato que não "
    "reconhecemos.",
    "O formulário contém dados que não foi possível ler.": "Alguns dados do formulário não "
    "puderam ser lidos.",
    "Pedido demasiado grande": "Pedido grande demais",
    "O formulário enviado é demasiado grande.": "O formulário excede o tamanho permitido.",
    # A session that expired keeps "sessão" and "expirou" (pages.labels.SESSION_EXPIRED).
    "Sessão expirada": "A sua sessão expirou",
    "A sua sessão expirou ou o formulário já não é válido. Por segurança, recomece a partir da "
    "página inicial.": "Por segurança, a sessão terminou ou este formulário deixou de ser "
    "válido. Volte a começar na página inicial.",
    "Passo indisponível": "Este passo já não está disponível",
    "Este passo já foi concluído ou a sessão expirou. Não é possível repetir o pedido: "
    "recomece a partir do início.": "Ou já o concluiu, ou a sua sessão terminou. Para fazer "
    "outro pedido, comece de novo.",
    # The portal's rules (mock_portal.validation, .timekeeping, .passwords): finished
    # sentences, their numbers from the settings.
    "Indique o NISS.": "Falta o NISS.",
    "O NISS só pode conter algarismos.": "O NISS leva apenas dígitos.",
    "O NISS tem 11 algarismos.": "O NISS deve ter 11 dígitos.",
    "O NISS começa por 1 (pessoa singular) ou 2 (pessoa coletiva).": "Um NISS começa sempre "
    "por 1 (particulares) ou 2 (entidades).",
    "O NISS indicado não é válido: o algarismo de controlo não confere. Verifique se o "
    "escreveu corretamente.": "Este NISS não é válido: o último dígito não bate certo. "
    "Confirme se o escreveu bem.",
    "Indique a data de nascimento.": "Falta a data de nascimento.",
    "Indique a data.": "Falta a data.",
    "A data deve estar no formato dd-mm-aaaa.": "Escreva a data como dd-mm-aaaa.",
    "A data indicada não existe.": "Essa data não existe no calendário.",
    "A data de nascimento não pode ser no futuro.": "A data de nascimento não pode ser "
    "posterior a hoje.",
    "A data de nascimento não pode ser anterior a {year}.": "A data de nascimento tem de ser "
    "de {year} ou depois.",
    "Indique o {what}.": "Falta o {what}.",
    "O {what} tem 6 algarismos.": "O {what} leva 6 dígitos.",
    "Indique o PIN.": "Falta o PIN.",
    "O PIN da Chave Móvel Digital tem 4 algarismos.": "O PIN tem 4 dígitos.",
    "Indique um endereço de email válido, por exemplo nome@exemplo.pt.": "Este email não "
    "parece válido (exemplo: nome@exemplo.pt).",
    "Indique o número de telemóvel.": "Falta o telemóvel.",
    "Indique um número de telemóvel válido: 9 algarismos começados por 9, ou um número "
    "estrangeiro com o indicativo do país (por exemplo +44 7700 900123).": "Número de "
    "telemóvel inválido: use 9 dígitos a começar por 9 ou, se for estrangeiro, o indicativo "
    "do país (como +44 7700 900123).",
    "A palavra-passe tem de ter pelo menos {length} caracteres.": "Use {length} ou mais "
    "caracteres na palavra-passe.",
    "A palavra-passe não pode ter mais de {length} caracteres.": "A palavra-passe é demasiado "
    "longa: o limite é {length} caracteres.",
    "A palavra-passe não pode conter caracteres de controlo.": "Há na palavra-passe "
    "caracteres que não são permitidos.",
    "A palavra-passe tem de combinar pelo menos {classes} tipos de caracteres (minúsculas, "
    "maiúsculas, algarismos, símbolos).": "Falta variedade: misture pelo menos {classes} "
    "tipos (minúsculas, maiúsculas, números, símbolos).",
    "A palavra-passe não pode conter o seu NISS.": "Não use o seu NISS na palavra-passe.",
    "A palavra-passe não pode conter a sua data de nascimento.": "Não use a sua data de "
    "nascimento na palavra-passe.",
    "A confirmação não é igual à palavra-passe.": "As duas palavras-passe não coincidem.",
    "Ter pelo menos {length} caracteres (no máximo {most}).": "Tenha entre {length} e {most} "
    "caracteres.",
    "Combinar pelo menos {classes} destes 4 tipos de caracteres: letras minúsculas, letras "
    "maiúsculas, algarismos e símbolos (por exemplo ! ? # %).": "Misture pelo menos {classes} "
    "dos 4 tipos: minúsculas, maiúsculas, números e símbolos (como ! ? # %).",
    "Não conter o seu NISS nem a sua data de nascimento.": "Não inclua o seu NISS nem a data "
    "em que nasceu.",
    "Ser igual na confirmação.": "Seja escrita duas vezes da mesma forma.",
}

REWORDINGS: dict[str, dict[str, str]] = {"paraphrase": PARAPHRASE}


def say(profile: str, sentence: str, **values: object) -> str:
    """``sentence`` (an official sentence, or a name from ``NAMED``) as ``profile`` words it,
    its ``{placeholders}`` filled with ``values``.

    A finished sentence (one that the portal's rules wrote with their numbers already in,
    such as "A palavra-passe tem de ter pelo menos 9 caracteres.") is recognised by its
    template, so rules outside the screens need not know about wordings. What a profile
    does not reword is said as it is: ``say`` of a reworded sentence is that sentence.
    """
    if values or sentence in NAMED or sentence in REWORDINGS.get(profile, {}):
        text = template(profile, sentence)
        return text.format(**values) if values else text
    reworded, found = _finished(profile, sentence)
    return reworded.format(**found) if reworded is not None else sentence


def template(profile: str, sentence: str) -> str:
    """The profile's wording of ``sentence`` with its placeholders, not yet filled."""
    reworded = REWORDINGS.get(profile, {}).get(sentence)
    return reworded if reworded is not None else NAMED.get(sentence, sentence)


def _finished(profile: str, sentence: str) -> tuple[str | None, dict[str, object]]:
    for pattern, reworded in _templates(profile):
        match = pattern.fullmatch(sentence)
        if match:
            return reworded, dict(match.groupdict())
    return None, {}


@cache
def _templates(profile: str) -> list[tuple[re.Pattern[str], str]]:
    """The profile's templates with placeholders, as patterns over finished sentences."""
    found = []
    for official, reworded in REWORDINGS.get(profile, {}).items():
        parts = list(string.Formatter().parse(official))
        if all(name is None for _, name, _, _ in parts):
            continue
        regex = "".join(
            re.escape(literal) + (f"(?P<{name}>.+?)" if name else "")
            for literal, name, _, _ in parts
        )
        found.append((re.compile(regex), reworded))
    return found
